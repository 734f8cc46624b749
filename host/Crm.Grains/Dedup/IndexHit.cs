namespace Crm.Grains.Dedup;

/// <summary>
/// A customer found under a blocking key; <paramref name="Committed"/> is false while its creation is in flight;
/// <paramref name="KeyHolders"/> is how many customers other than the asker hold the key (the rarer, the likelier a
/// duplicate: candidates from all shards are taken rarest first).
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct IndexHit([property: Id(0)] string Key, [property: Id(1)] Guid CustomerId, [property: Id(2)] bool Committed,
    [property: Id(3)] int KeyHolders = 1);
