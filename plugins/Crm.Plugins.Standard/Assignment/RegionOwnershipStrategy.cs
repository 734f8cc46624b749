using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>region-owner</c>: a lead belongs to whoever owns its region — reps whose profile lists the region, or the
/// reps of the org unit the pool maps the region to (<c>units</c>). Among the owners the smallest book relative to
/// capacity wins. This keeps two teams from selling to the same customer.
/// </summary>
public sealed class RegionOwnershipStrategy : IAssignmentStrategy, IAssignmentOptionsValidator, IReadsOptions
{
    public string Name => "region-owner";

    public IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options) =>
        OptionReader.Validate(options, Read);

    void IReadsOptions.ReadOptions(OptionReader reader) => Read(reader);

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var (units, otherwiseAny) = OptionReader.ReadValid(request.Pool.Options, Name, Read);

        var region = LeadRegion.Resolve(request.Lead, request.Candidates, units.Keys);
        RepCandidate? best = null;
        var owners = 0;
        if (region is not null)
        {
            var unit = units.GetValueOrDefault(region);
            foreach (var rep in request.Candidates)
            {
                var owns = CandidateRules.Has(rep.Regions, region) || (unit is not null && rep.OrgUnitId == unit);
                if (!owns)
                {
                    continue;
                }

                owners++;
                if (CandidateRules.CanTake(rep) && (best is null || Lighter(rep, best)))
                {
                    best = rep;
                }
            }
        }

        if (best is not null)
        {
            return AssignmentDecision.Assign(best.RepId, $"region-owner: covers {region}, smallest book of {owners} owner(s)");
        }

        var why = region is null
            ? "no region found in the lead's region or address"
            : owners == 0 ? $"nobody owns region {region}" : $"the {owners} owner(s) of {region} are full or off duty";
        if (!otherwiseAny)
        {
            return AssignmentDecision.Nobody($"region-owner: {why}");
        }

        foreach (var rep in request.Candidates)
        {
            if (CandidateRules.CanTake(rep) && (best is null || Lighter(rep, best)))
            {
                best = rep;
            }
        }

        return best is null
            ? CandidateRules.NobodyAvailable(Name)
            : AssignmentDecision.Assign(best.RepId, $"region-owner: {why}; smallest book of the team instead");
    }

    private static (IReadOnlyDictionary<string, string> Units, bool OtherwiseAny) Read(OptionReader reader) =>
        (reader.Map("units"), reader.OneOf("otherwise", "nobody", "nobody", "any") == "any");

    private static bool Lighter(RepCandidate rep, RepCandidate best)
    {
        var share = CandidateRules.LoadShare(rep).CompareTo(CandidateRules.LoadShare(best));
        return share != 0 ? share < 0 : CandidateRules.CompareIds(rep, best) < 0;
    }
}
