namespace Crm.Client;

/// <summary>
/// A suspected collusion between two reps on one customer: <c>quick-handover</c> (A released, B claimed within
/// the pool's window) or <c>ping-pong</c> (A -> B -> A by release and claim). Evidence lists the events in order.
/// </summary>
public sealed record CollusionCaseDto(
    string Kind,
    Guid CustomerId,
    string FromRepId,
    string ToRepId,
    DateTimeOffset DetectedAt,
    IReadOnlyList<CollusionEvidence> Evidence);

/// <summary>One ownership event behind a collusion case: <c>released</c>, <c>recycled</c> or <c>claimed</c>.</summary>
public sealed record CollusionEvidence(string Kind, string RepId, DateTimeOffset At);
