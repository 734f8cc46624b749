namespace Crm.Benchmarks.Common;

/// <summary>
/// A fake clock for a silo in a benchmark: time moves only when <see cref="Advance"/> is called. Timers made from it are
/// due at a time on it and fire (on the thread pool) when an advance passes that time, once per advance however many
/// periods it skipped, the next due one period after the time they fired at: what a grain timer or reminder does when
/// the clock moves. Register it with <see cref="Register"/>, which keeps Orleans' membership, messaging, silo timers,
/// activation collection and grain directory on the wall clock (as the server's test clock does).
/// </summary>
public sealed class StepClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly HashSet<StepTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(services, this);
        foreach (var area in new[]
                 {
                     Orleans.Runtime.TimeProviderNames.Membership, Orleans.Runtime.TimeProviderNames.Messaging,
                     Orleans.Runtime.TimeProviderNames.SystemTimers, Orleans.Runtime.TimeProviderNames.ActivationManagement,
                     Orleans.Runtime.TimeProviderNames.GrainDirectory,
                 })
        {
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddKeyedSingleton(services, area, TimeProvider.System);
        }
    }

    /// <summary>Moves the clock on and fires every timer now due; answers how many fired.</summary>
    public int Advance(TimeSpan by)
    {
        List<StepTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
            foreach (var timer in due)
            {
                timer.DueAt = timer.Period == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : _now + timer.Period;
            }
        }

        foreach (var timer in due)
        {
            ThreadPool.UnsafeQueueUserWorkItem(t => t.Fire(), timer, preferLocal: false);
        }

        return due.Count;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new StepTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class StepTimer(StepClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; } = DateTimeOffset.MaxValue;

        public TimeSpan Period { get; private set; } = Timeout.InfiniteTimeSpan;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                Period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : clock._now + dueTime;
                if (DueAt == DateTimeOffset.MaxValue)
                {
                    clock._timers.Remove(this);
                }
                else
                {
                    clock._timers.Add(this);
                }
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
