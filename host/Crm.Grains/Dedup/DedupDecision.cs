namespace Crm.Grains.Dedup;

/// <summary>
/// What the dedup rule decided for a lead: <c>block</c>, <c>flag</c>, <c>allow</c> (matches the rule lets through) or
/// <c>none</c> (no match), with every match found, strongest first.
/// </summary>
public sealed record DedupDecision(string Action, IReadOnlyList<DedupMatch> Matches)
{
    public static DedupDecision None { get; } = new("none", []);

    public bool Blocked => Action == "block";

    /// <summary>Strategies that failed while deciding (their keys or comparisons are missing from the decision).</summary>
    public IReadOnlyList<StrategyFault> Faults { get; init; } = [];

    /// <summary>The names of the strategies in <see cref="Faults"/>: a check that found nothing is not a clean bill then.</summary>
    public IReadOnlyList<string> UnavailableStrategies => Faults.Select(f => f.Strategy).Distinct().Order(StringComparer.Ordinal).ToList();

    public static DedupDecision From(IReadOnlyList<DedupMatch> matches)
    {
        var ordered = matches.OrderByDescending(m => Rank(m.Strength)).ThenByDescending(m => m.Score).ToList();
        var action = ordered.Any(m => m.Action == "block") ? "block"
            : ordered.Any(m => m.Action == "flag") ? "flag"
            : ordered.Count > 0 ? "allow" : "none";
        return new DedupDecision(action, ordered);
    }

    private static int Rank(string strength) => strength switch { "exact" => 3, "strong" => 2, _ => 1 };
}
