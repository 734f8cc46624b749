using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Outbox;

/// <summary>How the outbox of customer side effects is swept (section <c>Crm:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Crm:Outbox";

    /// <summary>
    /// How long after start-up the first sweep waits: the pushes a crash left undelivered then reach reps whose apps
    /// have reconnected in the meantime.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StartupDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each silo looks for entries left undelivered.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An entry older than this is taken to be abandoned (its silo crashed, or a delivery failed) and is delivered by
    /// the sweep. Younger ones are still being delivered by the grain that committed them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Test hook: the process kills itself right after committing an event of this kind, before delivering its side
    /// effects (how the crash tests stop a server between a commit and its effects). Never set in production.
    /// </summary>
    public string? TestCrashAfterCommitOf { get; set; }
}
