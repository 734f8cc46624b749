namespace Crm.Grains.Notes;

/// <summary>
/// Answers checked against a template's schema, in the three shapes they are used in: values for the renderer
/// (every field present, unanswered ones null), canonical JSON for the timeline, and the countable choices.
/// </summary>
public sealed record NoteAnswers(
    IReadOnlyDictionary<string, object?> Values,
    string Json,
    IReadOnlyList<NoteChoice> Choices,
    DateOnly? NextFollowUp);
