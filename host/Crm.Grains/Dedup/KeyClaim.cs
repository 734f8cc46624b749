namespace Crm.Grains.Dedup;

/// <summary>A customer's keys that hash to one shard, as a batch of an import reserves or settles them.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyClaim([property: Id(0)] Guid CustomerId, [property: Id(1)] IReadOnlyList<string> Keys);
