namespace Crm.Grains.Dedup;

/// <summary>A stored customer a lead matched, by which strategy and key, and what the pool's rule does about it.</summary>
[GenerateSerializer, Immutable]
public sealed record DedupMatch(
    [property: Id(0)] Guid CustomerId,
    [property: Id(1)] string Strategy,
    [property: Id(2)] string KeyKind,
    [property: Id(3)] string KeyValue,
    [property: Id(4)] string Strength,
    [property: Id(5)] double Score,
    [property: Id(6)] string? Reason,
    [property: Id(7)] string Action)
{
    /// <summary>The matched key as flags and refusals name it (kind:value); a method, so no JSON answer carries it twice.</summary>
    public string MatchedKey() => $"{KeyKind}:{KeyValue}";
}

/// <summary>A customer found to be possibly the same as another (<see cref="Other"/>), through <see cref="Match"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record DuplicateFlag([property: Id(0)] Guid Other, [property: Id(1)] DedupMatch Match);
