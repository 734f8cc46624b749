using Crm.Grains.Pools;

namespace Crm.Grains.Outbox;

/// <summary>
/// The owner's private pool learns the facts the recycle deadline follows (ignored when older than what it holds). Only
/// a re-projection <see cref="Adopt"/>s: puts the customer back into a private pool that lost it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrackOwner(string RepId, Guid CustomerId, string PoolId, RecycleFacts Facts, bool Adopt = false) : OutboxEffect;
