using Crm.Grains.Customers;

namespace Crm.Grains.Outbox;

/// <summary>The dedup index holds the customer under its blocking keys, with its current identity fields.</summary>
[GenerateSerializer, Immutable]
public sealed record IndexDedup(Guid CustomerId, CustomerProfile Profile, string PoolId, string? OwnerId, IReadOnlyList<string> Keys) : OutboxEffect;
