namespace Crm.Grains.Dedup;

/// <summary>A customer under one blocking key.</summary>
[GenerateSerializer, Immutable]
public sealed record IndexEntry([property: Id(0)] string Key, [property: Id(1)] Guid CustomerId);
