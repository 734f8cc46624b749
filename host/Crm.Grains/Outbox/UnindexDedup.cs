namespace Crm.Grains.Outbox;

/// <summary>The dedup index forgets the customer (merged away) under these keys.</summary>
[GenerateSerializer, Immutable]
public sealed record UnindexDedup(Guid CustomerId, IReadOnlyList<string> Keys) : OutboxEffect;
