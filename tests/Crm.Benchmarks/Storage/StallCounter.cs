using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks.Storage;

/// <summary>
/// Reads the silo's log as it is written and counts the scheduler-stall warnings: a turn that "took elapsed
/// time ... longer than" the warning threshold, and a timer (the health timers among them) that fired late.
/// </summary>
public sealed class StallCounter : ILoggerProvider
{
    private long _stalls;
    private long _warnings;

    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>All warnings and errors, stalls included.</summary>
    public long Warnings => Interlocked.Read(ref _warnings);

    public ILogger CreateLogger(string categoryName) => new Counter(this);

    public void Dispose()
    {
    }

    private sealed class Counter(StallCounter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            Interlocked.Increment(ref owner._warnings);
            var message = formatter(state, exception);
            if (message.Contains("took elapsed time", StringComparison.Ordinal) ||
                message.Contains("Timer should have fired", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref owner._stalls);
            }
        }
    }
}
