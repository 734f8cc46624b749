namespace Crm.Grains.Pools;

/// <summary>A suspected collusion found on a claim (<see cref="CollusionRules"/>), as the pool keeps it.</summary>
[GenerateSerializer, Immutable]
public sealed record CollusionCase(
    [property: Id(0)] string Kind,
    [property: Id(1)] Guid CustomerId,
    [property: Id(2)] string FromRepId,
    [property: Id(3)] string ToRepId,
    [property: Id(4)] DateTimeOffset DetectedAt,
    [property: Id(5)] IReadOnlyList<CollusionStep> Evidence);

/// <summary>One ownership event behind a case: <c>released</c>, <c>recycled</c> or <c>claimed</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CollusionStep([property: Id(0)] string Kind, [property: Id(1)] string RepId, [property: Id(2)] DateTimeOffset At);
