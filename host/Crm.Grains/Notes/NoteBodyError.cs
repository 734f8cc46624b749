namespace Crm.Grains.Notes;

/// <summary>A problem in a template body, at a 1-based line and column.</summary>
public sealed record NoteBodyError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}
