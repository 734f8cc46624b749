namespace Crm.Grains.Reps;

/// <summary>
/// A customer of the private pool with its recycle deadline, as <c>GET /api/reps/{id}/due</c> lists it. <see cref="Rule"/> is
/// the clock that drops it (<see cref="Pools.RecycleDeadline.NoFollowUp"/>, <c>NoDeal</c>, <c>NoVisit</c>): what would stop the drop.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DueEntry(Guid CustomerId, string PoolId, DateTimeOffset DropsAt, string Reason, IReadOnlyList<int> WarningsSent, string? Rule = null);
