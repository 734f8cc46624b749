namespace Crm.Grains.Plugins;

/// <summary>
/// Call and fault counters of one strategy of one loaded plugin version; shown by <c>GET /api/plugins</c>.
/// Thread-safe: grains on many threads call the same strategy.
/// </summary>
public sealed class StrategyHealth(string kind, string name)
{
    private long _calls;
    private long _faults;
    private long _timeouts;
    private int _runningPastBudget;
    private (string Reason, DateTimeOffset At)? _lastFault;

    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public long Calls => Interlocked.Read(ref _calls);

    public long Faults => Interlocked.Read(ref _faults);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Calls that exceeded their budget and have not returned yet (their threads are still busy).</summary>
    public int RunningPastBudget => Volatile.Read(ref _runningPastBudget);

    public string? LastFault => _lastFault?.Reason;

    public DateTimeOffset? LastFaultAt => _lastFault?.At;

    public void RecordCall() => Interlocked.Increment(ref _calls);

    public void RecordFault(string reason, DateTimeOffset at)
    {
        Interlocked.Increment(ref _faults);
        _lastFault = (reason, at);
    }

    public void RecordTimeout(string reason, DateTimeOffset at)
    {
        Interlocked.Increment(ref _timeouts);
        Interlocked.Increment(ref _runningPastBudget);
        RecordFault(reason, at);
    }

    public void RecordLateReturn() => Interlocked.Decrement(ref _runningPastBudget);
}
