using Crm.Grains.Pools;

namespace Crm.Grains.Reps;

/// <summary>
/// An entry of a rep's private pool: which customer, from which pool, since when; the facts its recycle
/// deadline is computed from (null until the customer grain reports them); the warnings already sent for
/// the deadline in <see cref="WarnedFor"/> (a new deadline starts a fresh set).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OwnedCustomer(
    Guid CustomerId,
    string PoolId,
    DateTimeOffset Since,
    RecycleFacts? Facts = null,
    IReadOnlyList<int>? Warned = null,
    DateTimeOffset? WarnedFor = null,
    long TakenAt = 0);
