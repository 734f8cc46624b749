using System.Globalization;
using Crm.Sdk;

namespace Crm.Plugins.Standard.Assignment;

/// <summary>
/// <c>weighted</c>: shares leads in proportion to each rep's weight — its capacity, or a profile attribute — by
/// giving the next lead to the rep whose book would be smallest relative to its weight. Stateless and
/// deterministic; over many leads every rep's book stays within one lead of its weighted share.
/// </summary>
public sealed class WeightedCapacityStrategy : IAssignmentStrategy, IAssignmentOptionsValidator, IReadsOptions
{
    public string Name => "weighted";

    public IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options) =>
        OptionReader.Validate(options, ReadOptions);

    void IReadsOptions.ReadOptions(OptionReader reader) => ReadOptions(reader);

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        var (attribute, defaultWeight) = OptionReader.ReadValid(request.Pool.Options, Name, ReadOptions);

        RepCandidate? best = null;
        double bestShare = 0, bestWeight = 0;
        foreach (var rep in request.Candidates)
        {
            if (!CandidateRules.CanTake(rep))
            {
                continue;
            }

            var weight = WeightOf(rep, attribute, defaultWeight);
            if (weight <= 0)
            {
                continue;
            }

            var share = (rep.OwnedCount + 1) / weight;
            if (best is null || share < bestShare || (share == bestShare && CandidateRules.CompareIds(rep, best) < 0))
            {
                (best, bestShare, bestWeight) = (rep, share, weight);
            }
        }

        return best is null
            ? CandidateRules.NobodyAvailable(Name)
            : AssignmentDecision.Assign(best.RepId,
                $"weighted: owns {best.OwnedCount} at weight {bestWeight.ToString(CultureInfo.InvariantCulture)}, the lowest share");
    }

    private static (string? Attribute, double DefaultWeight) ReadOptions(OptionReader reader)
    {
        var attribute = reader.List("weightAttribute") is [var key] ? key : null;
        var defaultWeight = reader.Number("defaultWeight", 10, 0.001, 1_000_000);
        return (attribute, defaultWeight);
    }

    /// <summary>The attribute when the pool names one and the rep has it, else the capacity, else the default.</summary>
    private static double WeightOf(RepCandidate rep, string? attribute, double defaultWeight)
    {
        if (attribute is not null && rep.Attributes.TryGetValue(attribute, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return rep.Capacity is > 0 and var capacity ? capacity : defaultWeight;
    }
}
