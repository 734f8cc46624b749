namespace Crm.Sdk;

/// <summary>The pool an assignment happens in, as the strategy sees it.</summary>
public sealed record PoolContext
{
    /// <summary>The pool id.</summary>
    public required string PoolId { get; init; }

    /// <summary>The org unit the pool serves.</summary>
    public string? OrgUnitId { get; init; }

    /// <summary>The strategy's options from the pool's rules (<c>assignment.options</c>). Never null.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = EmptyOptions;

    /// <summary>
    /// The state this strategy returned last time for this pool (<see cref="AssignmentDecision.StrategyState"/>),
    /// or null on the first call. Opaque to the host.
    /// </summary>
    public string? StrategyState { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyOptions = new Dictionary<string, string>();
}
