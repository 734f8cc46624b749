namespace Crm.Grains.Plugins;

/// <summary>How long a plugin strategy may run per call, and when a strategy stuck past its budget is skipped.</summary>
public sealed class StrategyCallOptions
{
    /// <summary>Time budget of one strategy call (real elapsed time, not business time).</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When this many calls of a strategy are still running past their budget, further calls go straight to the
    /// fallback: a hanging plugin must not eat the thread pool.
    /// </summary>
    public int MaxCallsPastBudget { get; init; } = 4;
}
