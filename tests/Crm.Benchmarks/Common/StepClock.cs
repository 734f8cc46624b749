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

    // Armed timers by due time, so an advance costs what falls due, not a scan of every armed timer (the runtime's own
    // timer queue does not scan either; 20,000 armed timers scanned 1,440 times a simulated day would be the harness's cost).
    private readonly SortedSet<(long DueTicks, long Id)> _queue = [];
    private readonly Dictionary<long, StepTimer> _armed = [];
    private long _nextId;
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
        var due = new List<StepTimer>();
        lock (_gate)
        {
            _now += by;
            while (_queue.Count > 0 && _queue.Min.DueTicks <= _now.UtcTicks)
            {
                var timer = _armed[_queue.Min.Id];
                due.Add(timer);
                timer.Arm(timer.Period <= TimeSpan.Zero ? DateTimeOffset.MaxValue : _now + timer.Period);
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
        private readonly long _id = Interlocked.Increment(ref clock._nextId);

        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public TimeSpan Period { get; private set; } = Timeout.InfiniteTimeSpan;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                Period = period;
                Arm(dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : clock._now + dueTime);
            }

            return true;
        }

        /// <summary>Called under the clock's lock.</summary>
        public void Arm(DateTimeOffset at)
        {
            if (DueAt != DateTimeOffset.MaxValue)
            {
                clock._queue.Remove((DueAt.UtcTicks, _id));
                clock._armed.Remove(_id);
            }

            DueAt = at;
            if (at != DateTimeOffset.MaxValue)
            {
                clock._queue.Add((at.UtcTicks, _id));
                clock._armed[_id] = this;
            }
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                Arm(DateTimeOffset.MaxValue);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
