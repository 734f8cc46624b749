namespace Crm.Grains.Notes;

/// <summary>A note ready to go on a customer's timeline: answers already checked and rendered by the caller.</summary>
[GenerateSerializer, Immutable]
public sealed record NoteRecord(
    [property: Id(0)] string NoteId,
    [property: Id(1)] string TemplateId,
    [property: Id(2)] int TemplateVersion,
    [property: Id(3)] string Text,
    [property: Id(4)] string AnswersJson,
    [property: Id(5)] IReadOnlyList<NoteChoice> Choices,
    [property: Id(6)] DateTimeOffset? NextFollowUpAt);
