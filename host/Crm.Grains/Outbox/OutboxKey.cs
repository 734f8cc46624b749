namespace Crm.Grains.Outbox;

/// <summary>Which outbox entry: one per customer commit.</summary>
public readonly record struct OutboxKey(string CustomerId, long Version);
