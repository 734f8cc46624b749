using Crm.Client;

namespace Crm.Grains.Customers;

[GenerateSerializer]
public sealed class CustomerState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public CustomerProfile Profile { get; set; } = new("", null, null, null, null, null, null);
    [Id(2)] public Stage Stage { get; set; }
    [Id(3)] public string PoolId { get; set; } = "";
    /// <summary>The org unit of the pool, kept here so that events and rows carry it without a lookup.</summary>
    [Id(4)] public string? OrgUnitId { get; set; }
    [Id(5)] public string? OwnerId { get; set; }
    [Id(6)] public DateTimeOffset? OwnedSince { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public DateTimeOffset? LastFollowUpAt { get; set; }
    [Id(10)] public DateTimeOffset? LastDealAt { get; set; }
    /// <summary>Reps that may not claim this customer again before the given time (reclaim protection).</summary>
    [Id(11)] public Dictionary<string, DateTimeOffset> ReclaimLocks { get; set; } = [];
    [Id(12)] public List<TimelineEntry> Timeline { get; set; } = [];
    /// <summary>Rises by one per change; the read model keeps only the highest version it has seen.</summary>
    [Id(13)] public long Version { get; set; }
    /// <summary>The org unit of the region the address fell in at creation: only reps under it may own the customer.</summary>
    [Id(40)] public string? RegionUnitId { get; set; }
    /// <summary>The blocking keys this customer is indexed under; re-committed on activation so the dedup index heals.</summary>
    [Id(50)] public List<string> DedupKeys { get; set; } = [];
    /// <summary>Customers flagged as possible duplicates of this one.</summary>
    [Id(51)] public List<Guid> FlaggedDuplicates { get; set; } = [];
    /// <summary>Nobody may claim the customer before this time (the pool's cool-down after a release or recycle).</summary>
    [Id(14)] public DateTimeOffset? CoolDownUntil { get; set; }
    /// <summary>Industry, region and language: what assignment matches against rep profiles.</summary>
    [Id(30)] public LeadTraits Traits { get; set; } = LeadTraits.None;
    /// <summary>Set when a manager merged this customer into another: it is then an alias that redirects there.</summary>
    [Id(52)] public Guid? MergedInto { get; set; }
    /// <summary>Customers merged into this one (a repeated merge is answered without a change).</summary>
    [Id(53)] public List<Guid> MergedFrom { get; set; } = [];
}
