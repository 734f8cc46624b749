namespace Crm.Grains.Notes;

/// <summary>One countable answer: a chosen option of a choice field, or "yes"/"no" of a yes/no field.</summary>
[GenerateSerializer, Immutable]
public sealed record NoteChoice([property: Id(0)] string FieldKey, [property: Id(1)] string Value);
