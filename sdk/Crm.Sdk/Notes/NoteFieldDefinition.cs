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
}
