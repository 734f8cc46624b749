using System.Globalization;
using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>composite</c>: narrows the candidates with a chain of filters (<c>filters</c>: industry, region, language,
/// seniority, new-reps, in the order given) and lets a final <c>picker</c> — another standard strategy — choose
/// among the reps left. A filter that would leave nobody is skipped (and the reason says so) unless
/// <c>strict</c> is true. The picker's options and saved state pass through unchanged.
/// </summary>
public sealed class CompositeStrategy(IReadOnlyDictionary<string, IAssignmentStrategy> pickers)
    : IAssignmentStrategy, IAssignmentOptionsValidator
{
    public static readonly string[] FilterNames = ["industry", "region", "language", "seniority", "new-reps"];

    public string Name => "composite";

    private sealed record Settings(
        IReadOnlyList<string> Filters, IAssignmentStrategy Picker, bool Strict, int MinSeniority,
        IReadOnlyDictionary<string, string> Units, NewRepBoostStrategy.Settings NewReps);

    public IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options) =>
        OptionReader.Validate(options, Read);

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var settings = OptionReader.ReadValid(request.Pool.Options, Name, Read);

        IReadOnlyList<RepCandidate> left = request.Candidates.Where(CandidateRules.CanTake).ToList();
        var notes = new List<string>(settings.Filters.Count);
        foreach (var filter in settings.Filters)
        {
            var kept = Apply(filter, left, request, settings);
            if (kept is null)
            {
                notes.Add($"{filter} n/a");
                continue;
            }

            if (kept.Count == 0)
            {
                if (settings.Strict)
                {
                    return AssignmentDecision.Nobody($"composite: no rep passes the {filter} filter", request.Pool.StrategyState);
                }

                notes.Add($"{filter} relaxed");
                continue;
            }

            notes.Add($"{filter} {kept.Count}");
            left = kept;
        }

        if (left.Count == 0)
        {
            return AssignmentDecision.Nobody(CandidateRules.NobodyAvailable(Name).Reason, request.Pool.StrategyState);
        }

        var decision = settings.Picker.Choose(request with { Candidates = left });
        var chain = notes.Count == 0 ? "" : $" after {string.Join(", ", notes)}";
        return decision with { Reason = $"composite{chain}: {decision.Reason}" };
    }

    private Settings Read(OptionReader reader)
    {
        var filters = reader.List("filters").Select(f => f.ToLowerInvariant()).ToList();
        foreach (var unknown in filters.Where(f => !FilterNames.Contains(f)))
        {
            reader.Fail("filters", $"Unknown filter '{unknown}'; known: {string.Join(", ", FilterNames)}.");
        }

        var pickerName = reader.List("picker") is [var name] ? name : "least-loaded";
        if (!pickers.TryGetValue(pickerName, out var picker))
        {
            reader.Fail("picker", $"Unknown picker '{pickerName}'; known: {string.Join(", ", pickers.Keys.Order())}.");
            picker = pickers.Values.First();
        }

        // The picker's own options live in the same map: let it read (and so declare) them.
        (picker as IReadsOptions)?.ReadOptions(reader);
        var strict = reader.OneOf("strict", "false", "true", "false") == "true";
        var minSeniority = reader.Int("minSeniority", 0, 0, 100);
        // Filters share their option names with the strategies they borrow from (units, newDays, belowDeals...).
        return new Settings(filters, picker, strict, minSeniority, reader.Map("units"), NewRepBoostStrategy.Read(reader));
    }

    /// <summary>The reps that pass one filter; null when the lead lacks what the filter looks at.</summary>
    private static List<RepCandidate>? Apply(string filter, IReadOnlyList<RepCandidate> reps, AssignmentRequest request, Settings s)
    {
        var lead = request.Lead;
        switch (filter)
        {
            case "industry":
                return lead.Industry is null ? null : reps.Where(r => CandidateRules.Has(r.Industries, lead.Industry)).ToList();
            case "language":
                return lead.Language is null ? null : reps.Where(r => CandidateRules.Has(r.Languages, lead.Language)).ToList();
            case "region":
                var region = LeadRegion.Resolve(lead, request.Candidates, s.Units.Keys);
                if (region is null)
                {
                    return null;
                }

                var unit = s.Units.GetValueOrDefault(region);
                return reps.Where(r => CandidateRules.Has(r.Regions, region) || (unit is not null && r.OrgUnitId == unit)).ToList();
            case "seniority":
                var needed = lead.Fields.TryGetValue(ProfileMatchStrategy.SeniorityField, out var text)
                    && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : s.MinSeniority;
                return reps.Where(r => r.Seniority >= needed).ToList();
            case "new-reps":
                return reps.Where(r => s.NewReps.IsNew(r, request.Now)).ToList();
            default:
                throw new ArgumentException($"composite: unknown filter '{filter}'");
        }
    }
}
