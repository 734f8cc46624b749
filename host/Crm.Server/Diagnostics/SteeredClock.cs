using System.Runtime.CompilerServices;

namespace Crm.Server.Diagnostics;

/// <summary>
/// Test hook (<c>Crm:Testing:ClockFile</c>, off unless set): the wall clock plus an offset read from a file, so that a
/// test can move the time of several server processes at once (every silo of a cluster reads the same file) and see
/// rules over days happen without waiting for them. The file holds a <see cref="TimeSpan"/> ("1.02:00:00"); it is read
/// every <see cref="PollEvery"/>. Timers created from this clock are due at a time on it: when the offset grows, those
/// already due fire at once, the others wait for what is left. Orleans' grain timers and reminders follow this clock;
/// membership, messaging and the silo's own maintenance stay on the wall clock (<see cref="Register"/>), so moving it
/// declares no silo dead and times no call out.
/// </summary>
public sealed class SteeredClock : TimeProvider, IDisposable
{
    public const string Setting = "Crm:Testing:ClockFile";

    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    private readonly string _file;
    private readonly ITimer _poll;
    private readonly ConditionalWeakTable<SteeredTimer, object?> _timers = new();
    private long _offsetTicks;

    private SteeredClock(string file)
    {
        _file = file;
        Read();
        _poll = System.CreateTimer(_ => Read(), null, PollEvery, PollEvery);
    }

    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    /// <summary>Replaces the process's clock when <see cref="Setting"/> names a file; the Orleans areas that must keep real time keep it.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[Setting] is not { Length: > 0 } file)
        {
            return;
        }

        var clock = new SteeredClock(file);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        foreach (var area in new[]
                 {
                     Orleans.Runtime.TimeProviderNames.Membership, Orleans.Runtime.TimeProviderNames.Messaging,
                     Orleans.Runtime.TimeProviderNames.SystemTimers, Orleans.Runtime.TimeProviderNames.ActivationManagement,
                     Orleans.Runtime.TimeProviderNames.GrainDirectory,
                 })
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Volatile.Read(ref _offsetTicks));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SteeredTimer(this, callback, state);
        _timers.AddOrUpdate(timer, null);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Read()
    {
        try
        {
            if (!File.Exists(_file) || !TimeSpan.TryParse(File.ReadAllText(_file).Trim(), out var offset) || offset.Ticks == Volatile.Read(ref _offsetTicks))
            {
                return;
            }

            Volatile.Write(ref _offsetTicks, offset.Ticks);
            foreach (var (timer, _) in _timers)
            {
                timer.Rearm();
            }
        }
        catch (IOException)
        {
            // Being written: the next poll reads it.
        }
    }

    public void Dispose() => _poll.Dispose();

    /// <summary>A timer due at a time of the steered clock, run by a one-shot wall-clock timer re-armed whenever the clock moves.</summary>
    private sealed class SteeredTimer : ITimer
    {
        private readonly SteeredClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _inner;
        private readonly object _gate = new();
        private DateTimeOffset? _dueAt;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public SteeredTimer(SteeredClock clock, TimerCallback callback, object? state)
        {
            (_clock, _callback, _state) = (clock, callback, state);
            _inner = System.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                ArmLocked();
                return true;
            }
        }

        public void Rearm()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    ArmLocked();
                }
            }
        }

        private void ArmLocked()
        {
            if (_dueAt is not { } due)
            {
                _inner.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            var left = due - _clock.GetUtcNow();
            _inner.Change(left < TimeSpan.Zero ? TimeSpan.Zero : left, Timeout.InfiniteTimeSpan);
        }

        private void Fire()
        {
            lock (_gate)
            {
                if (_disposed || _dueAt is not { } due || due > _clock.GetUtcNow())
                {
                    if (!_disposed)
                    {
                        ArmLocked(); // woken early (the wall clock's rounding): wait for the rest
                    }

                    return;
                }

                _dueAt = _period == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + _period;
                ArmLocked();
            }

            _callback(_state);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _dueAt = null;
            }

            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
