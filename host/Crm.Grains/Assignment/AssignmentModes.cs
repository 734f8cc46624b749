using Crm.Grains.Pools;

namespace Crm.Grains.Assignment;

/// <summary>How a pool hands out its leads (<c>assignment.mode</c>), and the host's defaults.</summary>
public static class AssignmentModes
{
    public const string Immediate = "immediate";
    public const string Batch = "batch";
    public const string ManualClaim = "manual-claim";

    public static readonly string[] All = [Immediate, Batch, ManualClaim];

    /// <summary>Decides when the pool names no fallback and its strategy fails.</summary>
    public const string DefaultFallback = "least-loaded";

    /// <summary>How often an immediate pool sweeps for leads a lost message or a full team left behind.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(5);

    /// <summary>The rule's mode (immediate when it names none).</summary>
    public static string Of(AssignmentSettings rule) => rule.Mode ?? Immediate;

    /// <summary>How often the pool's reminder runs its batch or its sweep; null when the pool does not assign by itself.</summary>
    public static TimeSpan? ScheduleOf(AssignmentSettings? rule) =>
        rule is null || Of(rule) == ManualClaim ? null
        : Of(rule) == Batch ? TimeSpan.FromMinutes(rule.BatchEveryMinutes ?? 60)
        : SweepPeriod;
}
