namespace Crm.Grains.Customers;

/// <summary>
/// One entry of a customer's history as the grain answers it. <see cref="Seq"/> numbers the customer's own events;
/// <see cref="Position"/> is the entry's place in the server's log, the paging cursor. The API maps it to its
/// <c>TimelineEntryDto</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(
    [property: Id(0)] int Seq,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? ActorId,
    [property: Id(4)] string? Reason,
    [property: Id(5)] string? Text,
    [property: Id(6)] IReadOnlyDictionary<string, string?> Data,
    [property: Id(7)] long Position = 0);

/// <summary>A page of a customer's history, newest first; <see cref="NextBefore"/> is the cursor of the older page, or null.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryPage([property: Id(0)] IReadOnlyList<HistoryEntry> Items, [property: Id(1)] string? NextBefore);
