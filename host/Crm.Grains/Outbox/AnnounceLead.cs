namespace Crm.Grains.Outbox;

/// <summary>
/// An unowned customer is waiting in a pool: the pool's assignment may hand it to a rep. Harmless twice (assignment
/// re-checks that nobody owns it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AnnounceLead(string PoolId, Guid CustomerId, string Trigger) : OutboxEffect;
