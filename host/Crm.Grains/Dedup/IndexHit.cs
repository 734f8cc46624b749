namespace Crm.Grains.Dedup;

/// <summary>A customer found under a blocking key; <paramref name="Committed"/> is false while its creation is in flight.</summary>
[GenerateSerializer, Immutable]
public sealed record IndexHit([property: Id(0)] string Key, [property: Id(1)] Guid CustomerId, [property: Id(2)] bool Committed);
