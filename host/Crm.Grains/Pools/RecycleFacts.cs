using Crm.Grains.Customers;
using Crm.Client;

namespace Crm.Grains.Pools;

/// <summary>
/// What a recycle deadline depends on, as the customer grain last reported it. The rep grain keeps these
/// so it can recompute deadlines itself when the pool's rules change; the version orders late reports. The level picks
/// the pool's per-level clocks; an open or won deal stops the no-deal clock.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RecycleFacts(
    DateTimeOffset OwnedSince,
    DateTimeOffset? LastFollowUpAt,
    DateTimeOffset? LastDealAt,
    CustomerStage Stage,
    long Version,
    DateTimeOffset? LastVisitAt = null,
    string? Level = null,
    bool HasOpenOrWonDeal = false);
