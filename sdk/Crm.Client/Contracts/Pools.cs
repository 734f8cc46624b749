using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>
/// The rules of a public pool. Null means "no such limit". Days and counts are whole numbers.
/// </summary>
public sealed record PoolRules
{
    [Range(1, 3650)]
    public int? RecycleAfterDaysWithoutFollowUp { get; init; }
    [Range(1, 3650)]
    public int? RecycleAfterDaysWithoutDeal { get; init; }

    /// <summary>An owned customer drops back when no rep has checked in at it for this many days (field teams).</summary>
    [Range(1, 3650)]
    public int? RecycleAfterDaysWithoutVisit { get; init; }
    [MaxLength(10)]
    public IReadOnlyList<int> WarnDaysBefore { get; init; } = [];
    [Range(0, 3650)]
    public int ReclaimProtectionDays { get; init; }
    [Range(1, 1_000_000)]
    public int? CapacityPerRep { get; init; }
    [Range(1, 100_000)]
    public int? ClaimsPerRepPerDay { get; init; }

    /// <summary>Per-rep capacity that replaces <see cref="CapacityPerRep"/> for the reps named (rep id -> capacity).</summary>
    [MaxLength(1000)]
    public IReadOnlyDictionary<string, int>? CapacityOverrides { get; init; }

    /// <summary>Customers in stage <c>customer</c> never drop back into the public pool.</summary>
    public bool ExemptCustomers { get; init; }

    /// <summary>Hours a released or recycled customer stays unclaimable by anyone; null or 0 for none.</summary>
    [Range(0, 8760)]
    public int? CoolDownHours { get; init; }

    /// <summary>A claim within this many hours of another rep's release is flagged to managers; null turns it off.</summary>
    [Range(1, 8760)]
    public int? CollusionWindowHours { get; init; } = 24;

    /// <summary>A customer handed A -> B -> A by release and claim within this many days is flagged; null turns it off.</summary>
    [Range(1, 3650)]
    public int? PingPongDays { get; init; } = 60;
    public AssignmentRule? Assignment { get; init; }
    public DedupRule? Dedup { get; init; }

    /// <summary>The public pool a recycled customer drops into; null for this pool.</summary>
    [MaxLength(64)]
    public string? RecycleToPoolId { get; init; }

    /// <summary>
    /// Recycle rules per customer level (key: the level, e.g. <c>A</c>): a customer of a level named here drops by that
    /// level's clocks instead of the pool's three; levels not named use the pool's.
    /// </summary>
    [MaxLength(20)]
    public IReadOnlyDictionary<string, LevelRecycleRules>? ByLevel { get; init; }
}

/// <summary>
/// The recycle clocks for customers of one level. A clock left null never drops; <see cref="Exempt"/> keeps the level
/// in its owner's hands whatever the clocks say. <see cref="RecycleToPoolId"/> null means the pool's destination.
/// </summary>
public sealed record LevelRecycleRules
{
    [Range(1, 3650)]
    public int? RecycleAfterDaysWithoutFollowUp { get; init; }
    [Range(1, 3650)]
    public int? RecycleAfterDaysWithoutDeal { get; init; }
    [Range(1, 3650)]
    public int? RecycleAfterDaysWithoutVisit { get; init; }
    public bool Exempt { get; init; }
    [MaxLength(64)]
    public string? RecycleToPoolId { get; init; }
}

/// <summary>
/// Which assignment strategy a pool uses, by name, with its options (docs/assignment.md). <c>Mode</c>:
/// <c>immediate</c> (a lead is assigned as it enters the pool), <c>batch</c> (every <c>BatchEveryMinutes</c>) or
/// <c>manual-claim</c> (leads wait for reps to claim them). <c>Fallback</c> decides when the strategy fails.
/// </summary>
public sealed record AssignmentRule(
    [property: MaxLength(100)] string Strategy,
    [property: MaxLength(50)] IReadOnlyDictionary<string, string>? Options = null,
    [property: MaxLength(20)] string? Mode = null,
    [property: MaxLength(100)] string? Fallback = null,
    [property: Range(1, 1440)] int? BatchEveryMinutes = null);

/// <summary>
/// Which dedup strategies a pool runs, by name, and what to do on a match: <c>block</c> (409 <c>duplicate</c>),
/// <c>flag</c> (accept and mark both) or <c>allow</c>. <see cref="Action"/> applies to every match strength that
/// <see cref="Actions"/> does not name (keys <c>exact</c>, <c>strong</c>, <c>weak</c>).
/// </summary>
public sealed record DedupRule([property: MaxLength(20)] IReadOnlyList<string> Strategies, [property: MaxLength(20)] string Action = "block")
{
    [MaxLength(10)]
    public IReadOnlyDictionary<string, string>? Actions { get; init; }

    /// <summary>The action for a match of this strength (<c>exact</c>, <c>strong</c>, <c>weak</c>).</summary>
    public string ActionFor(string strength) => Actions?.GetValueOrDefault(strength) ?? Action;
}

public sealed record CreatePoolRequest([property: MaxLength(100)] string Name, [property: MaxLength(64)] string? OrgUnitId, PoolRules? Rules);

public sealed record PoolDto(string Id, string Name, string OrgUnitId, PoolRules Rules, DateTimeOffset CreatedAt);
