namespace Crm.Grains.Notes;

/// <summary>The rendered text of a note, or why the template could not render it.</summary>
public sealed record NoteRenderResult(string? Text, string? Error)
{
    public bool Ok => Error is null;
}
