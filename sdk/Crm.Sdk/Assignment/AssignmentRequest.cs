namespace Crm.Sdk;

/// <summary>Everything an assignment strategy sees for one decision.</summary>
public sealed record AssignmentRequest
{
    /// <summary>The lead or customer to hand out.</summary>
    public required CustomerSnapshot Lead { get; init; }

    /// <summary>
    /// The reps that may receive it, in a stable order (by rep id). The host already left out reps that are
    /// blocked by a rule it enforces itself (reclaim protection); capacity is reported, not filtered.
    /// </summary>
    public required IReadOnlyList<RepCandidate> Candidates { get; init; }

    /// <summary>The pool the lead is assigned from, with its options and the strategy's saved state.</summary>
    public required PoolContext Pool { get; init; }

    /// <summary>The host's current time (use this, not the system clock, so tests can move time).</summary>
    public required DateTimeOffset Now { get; init; }
}
