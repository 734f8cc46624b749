namespace Crm.Sdk;

/// <summary>The outcome of <see cref="IAssignmentStrategy.Choose"/>.</summary>
public sealed record AssignmentDecision
{
    /// <summary>The chosen rep (one of the candidates), or null when nobody should get the lead now.</summary>
    public string? RepId { get; init; }

    /// <summary>Why, in a few words; recorded in the customer's timeline.</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// State to keep for the next call in this pool (e.g. a round-robin cursor); null keeps nothing. The host stores
    /// it only when the assignment is carried out.
    /// </summary>
    public string? StrategyState { get; init; }

    /// <summary>A decision that hands the lead to <paramref name="repId"/>.</summary>
    /// <param name="repId">The chosen rep.</param>
    /// <param name="reason">Why this rep.</param>
    /// <param name="strategyState">State to keep for the next call.</param>
    /// <returns>The decision.</returns>
    public static AssignmentDecision Assign(string repId, string reason, string? strategyState = null) =>
        new() { RepId = repId, Reason = reason, StrategyState = strategyState };

    /// <summary>A decision that leaves the lead unassigned (it stays in the public pool).</summary>
    /// <param name="reason">Why nobody.</param>
    /// <param name="strategyState">State to keep for the next call.</param>
    /// <returns>The decision.</returns>
    public static AssignmentDecision Nobody(string reason, string? strategyState = null) =>
        new() { Reason = reason, StrategyState = strategyState };
}
