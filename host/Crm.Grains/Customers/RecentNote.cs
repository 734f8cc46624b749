namespace Crm.Grains.Customers;

/// <summary>A note recently written on the customer: enough to answer its retry as it was first answered.</summary>
[GenerateSerializer, Immutable]
public sealed record RecentNote(
    [property: Id(0)] string NoteId,
    [property: Id(1)] long Seq,
    [property: Id(2)] DateTimeOffset At);
