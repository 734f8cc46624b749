namespace Crm.Sdk;

/// <summary>One question of a note template.</summary>
public sealed record NoteFieldDefinition
{
    /// <summary>The key of the answer (a variable name in the body): letters, digits and underscores.</summary>
    public required string Key { get; init; }

    /// <summary>The question as shown to the rep.</summary>
    public required string Label { get; init; }

    /// <summary>The kind of answer.</summary>
    public required NoteFieldType Type { get; init; }

    /// <summary>The choices for <see cref="NoteFieldType.SingleChoice"/> and <see cref="NoteFieldType.MultiChoice"/>.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Whether an answer is required.</summary>
    public bool Required { get; init; }

    /// <summary>The lowest allowed number (for <see cref="NoteFieldType.Number"/>).</summary>
    public double? Min { get; init; }

    /// <summary>The highest allowed number (for <see cref="NoteFieldType.Number"/>).</summary>
    public double? Max { get; init; }

    /// <summary>An optional hint shown under the question.</summary>
    public string? Help { get; init; }

    /// <summary>
    /// Whether the answer becomes the customer's next follow-up date (a reminder on the timeline and in the rep's
    /// reminders). Only for <see cref="NoteFieldType.Date"/> questions, and at most one per template.
    /// </summary>
    /// <remarks>
    /// Plugins built before this flag existed marked the question by its key, <c>next_follow_up</c>; the host still reads
    /// a date question so keyed as the follow-up date when no question of the template sets the flag.
    /// </remarks>
    public bool SetsNextFollowUp { get; init; }
}
