using System.Globalization;
using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>new-rep-boost</c>: shares today's leads so that new reps — within their first <c>newDays</c> days, or below
/// <c>belowDeals</c> won deals — get <c>boost</c> times the share of the others, until they own <c>cap</c>
/// customers. The next lead goes to the rep with the fewest leads received today relative to its weight.
/// </summary>
public sealed class NewRepBoostStrategy : IAssignmentStrategy, IAssignmentOptionsValidator, IReadsOptions
{
    public string Name => "new-rep-boost";

    internal sealed record Settings(int NewDays, int BelowDeals, double Boost, int Cap)
    {
        public bool IsNew(RepCandidate rep, DateTimeOffset now) =>
            (rep.JoinedAt is { } joined && now - joined < TimeSpan.FromDays(NewDays)) || rep.DealsWon < BelowDeals;

        public double WeightOf(RepCandidate rep, DateTimeOffset now) =>
            IsNew(rep, now) && rep.OwnedCount < Cap ? Boost : 1.0;
    }

    public IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options) =>
        OptionReader.Validate(options, Read);

    void IReadsOptions.ReadOptions(OptionReader reader) => Read(reader);

    internal static Settings Read(OptionReader reader) => new(
        reader.Int("newDays", 90, 0, 3650),
        reader.Int("belowDeals", 3, 0, 100_000),
        reader.Number("boost", 2, 1, 100),
        reader.Int("cap", 20, 1, 1_000_000));

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var settings = OptionReader.ReadValid(request.Pool.Options, Name, Read);

        RepCandidate? best = null;
        double bestShare = 0, bestWeight = 1;
        foreach (var rep in request.Candidates)
        {
            if (!CandidateRules.CanTake(rep))
            {
                continue;
            }

            var weight = settings.WeightOf(rep, request.Now);
            var share = (rep.ReceivedToday + 1) / weight;
            if (best is null || share < bestShare
                || (share == bestShare && (rep.OwnedCount < best.OwnedCount
                    || (rep.OwnedCount == best.OwnedCount && CandidateRules.CompareIds(rep, best) < 0))))
            {
                (best, bestShare, bestWeight) = (rep, share, weight);
            }
        }

        if (best is null)
        {
            return CandidateRules.NobodyAvailable(Name);
        }

        var kind = bestWeight > 1 ? $"new rep boosted x{bestWeight.ToString(CultureInfo.InvariantCulture)}" : "regular share";
        return AssignmentDecision.Assign(best.RepId, $"new-rep-boost: {kind}, {best.ReceivedToday} received today");
    }
}
