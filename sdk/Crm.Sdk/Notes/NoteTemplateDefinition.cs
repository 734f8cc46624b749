namespace Crm.Sdk;

/// <summary>
/// A quick-note template: the questions a rep answers (<see cref="Fields"/>) and the Scriban text that renders the
/// answers into a readable note (<see cref="Body"/>). In the body each answer is a variable named by its field key.
/// </summary>
public sealed record NoteTemplateDefinition
{
    /// <summary>A stable id, unique in the host, e.g. <c>first-visit</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The name shown to reps.</summary>
    public required string Name { get; init; }

    /// <summary>The language of labels and body (e.g. <c>en</c>, <c>zh</c>).</summary>
    public string Language { get; init; } = "en";

    /// <summary>An optional description for managers.</summary>
    public string? Description { get; init; }

    /// <summary>The questions, in display order.</summary>
    public required IReadOnlyList<NoteFieldDefinition> Fields { get; init; }

    /// <summary>The Scriban template text; the host refuses a body that does not parse.</summary>
    public required string Body { get; init; }
}
