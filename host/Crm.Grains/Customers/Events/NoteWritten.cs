using Crm.Grains.Notes;

namespace Crm.Grains.Customers.Events;

/// <summary>
/// A quick note: the rendered text and, in <see cref="Data"/>, the note's id, template and structured answers
/// (<see cref="NoteEntryData"/>), which the notes read model counts.
/// </summary>
public sealed record NoteWritten(DateTimeOffset At, string? ActorId, string Text, Dictionary<string, string?> Data) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Note;

    public string NoteId => Data[NoteEntryData.NoteId]!;

    public override void ApplyTo(CustomerState state) => state.RememberNote(NoteId, At);

    public override TimelineFields Describe() => new(null, Text, new(Data));
}
