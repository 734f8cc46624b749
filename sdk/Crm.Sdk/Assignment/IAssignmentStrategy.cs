namespace Crm.Sdk;

/// <summary>
/// Chooses which rep gets a lead (a new customer, or one that dropped into the public pool).
/// </summary>
/// <remarks>
/// The host calls <see cref="Choose"/> from inside a grain, through an adapter with a time budget: a call that
/// throws or takes too long is counted as a fault and the pool's fallback strategy decides instead. Keep it
/// CPU-only and quick (no I/O, no blocking). One instance serves many pools at once, so keep no mutable state in
/// fields: what must survive between calls (a round-robin cursor, say) goes into
/// <see cref="AssignmentDecision.StrategyState"/>, which the host persists per pool and hands back in
/// <see cref="PoolContext.StrategyState"/>.
/// </remarks>
public interface IAssignmentStrategy
{
    /// <summary>The unique name pools use to select this strategy, e.g. <c>round-robin</c>.</summary>
    string Name { get; }

    /// <summary>Chooses a rep among <see cref="AssignmentRequest.Candidates"/>, or none.</summary>
    /// <param name="request">The lead, the candidate reps with their load, and the pool.</param>
    /// <returns>The decision; a rep id that is not one of the candidates is treated as a fault.</returns>
    AssignmentDecision Choose(AssignmentRequest request);
}
