namespace Crm.Grains.Customers;

/// <summary>A command the customer ran with a request id: the id, the sequence number of its event and when it happened.</summary>
[GenerateSerializer, Immutable]
public sealed record RecentRequest([property: Id(0)] Guid Id, [property: Id(1)] long Seq, [property: Id(2)] DateTimeOffset At);
