using Crm.Grains.Pools;

namespace Crm.Grains.Customers;

/// <summary>The answer to a recycle request, with the facts the deadline follows when it is not due.</summary>
[GenerateSerializer, Immutable]
public sealed record RecycleOutcome(RecycleStatus Status, RecycleFacts? Facts = null);
