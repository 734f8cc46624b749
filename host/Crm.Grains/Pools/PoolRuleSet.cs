namespace Crm.Grains.Pools;

/// <summary>
/// A pool's rules as the grains keep and store them (the wire type <c>Crm.Client.PoolRules</c> is mapped to this at
/// the API edge, so a renamed field in the client package cannot change what is on disk). Null means "no such limit".
/// The property names are the wire names: the pool list's read-model row holds this record as JSON.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PoolRuleSet
{
    [Id(0)] public int? RecycleAfterDaysWithoutFollowUp { get; init; }
    [Id(1)] public int? RecycleAfterDaysWithoutDeal { get; init; }
    [Id(2)] public int? RecycleAfterDaysWithoutVisit { get; init; }
    [Id(3)] public IReadOnlyList<int> WarnDaysBefore { get; init; } = [];
    [Id(4)] public int ReclaimProtectionDays { get; init; }
    [Id(5)] public int? CapacityPerRep { get; init; }
    [Id(6)] public int? ClaimsPerRepPerDay { get; init; }
    [Id(7)] public IReadOnlyDictionary<string, int>? CapacityOverrides { get; init; }
    [Id(8)] public bool ExemptCustomers { get; init; }
    [Id(9)] public int? CoolDownHours { get; init; }
    [Id(10)] public int? CollusionWindowHours { get; init; } = 24;
    [Id(11)] public int? PingPongDays { get; init; } = 60;
    [Id(12)] public AssignmentSettings? Assignment { get; init; }
    [Id(13)] public DedupPolicy? Dedup { get; init; }
    /// <summary>The public pool a recycled customer drops into; null for this pool.</summary>
    [Id(14)] public string? RecycleToPoolId { get; init; }
    /// <summary>Recycle clocks per customer level; a level not named uses the three clocks above.</summary>
    [Id(15)] public IReadOnlyDictionary<string, LevelRecycleRule>? ByLevel { get; init; }
}

/// <summary>The recycle clocks of one customer level (null: that clock never drops the customer).</summary>
[GenerateSerializer, Immutable]
public sealed record LevelRecycleRule
{
    [Id(0)] public int? RecycleAfterDaysWithoutFollowUp { get; init; }
    [Id(1)] public int? RecycleAfterDaysWithoutDeal { get; init; }
    [Id(2)] public int? RecycleAfterDaysWithoutVisit { get; init; }
    [Id(3)] public bool Exempt { get; init; }
    [Id(4)] public string? RecycleToPoolId { get; init; }
}

/// <summary>Which assignment strategy a pool uses and how (docs/assignment.md).</summary>
[GenerateSerializer, Immutable]
public sealed record AssignmentSettings(
    [property: Id(0)] string Strategy,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Options = null,
    [property: Id(2)] string? Mode = null,
    [property: Id(3)] string? Fallback = null,
    [property: Id(4)] int? BatchEveryMinutes = null);

/// <summary>Which dedup strategies a pool runs and what a match of each strength does (docs/dedup.md).</summary>
[GenerateSerializer, Immutable]
public sealed record DedupPolicy([property: Id(0)] IReadOnlyList<string> Strategies, [property: Id(1)] string Action = "block")
{
    [Id(2)] public IReadOnlyDictionary<string, string>? Actions { get; init; }

    /// <summary>The action for a match of this strength (<c>exact</c>, <c>strong</c>, <c>weak</c>).</summary>
    public string ActionFor(string strength) => Actions?.GetValueOrDefault(strength) ?? Action;
}
