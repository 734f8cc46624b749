namespace Crm.Grains.Notes;

/// <summary>
/// The sandbox a note body renders in. A template is written by people, not by the server: whatever it does, a
/// render stops within these limits with a clear error instead of hanging or exhausting the server.
/// </summary>
public sealed record NoteLimits
{
    /// <summary>Iterations across all loops of one render (Scriban counts nested loops together).</summary>
    public int LoopLimit { get; init; } = 1000;

    /// <summary>Depth of nested function calls (a template may define functions, and recurse).</summary>
    public int RecursiveLimit { get; init; } = 20;

    /// <summary>Characters of rendered text, and of any string a template builds.</summary>
    public int OutputLimit { get; init; } = 20_000;

    /// <summary>Wall-clock time of one render.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Characters of a template body.</summary>
    public int BodyLimit { get; init; } = 20_000;

    public static NoteLimits Default { get; } = new();
}
