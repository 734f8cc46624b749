using System.Diagnostics;

namespace Crm.Benchmarks.Common;

/// <summary>Collects per-operation latencies and reports throughput and percentiles.</summary>
public sealed class Latencies
{
    private readonly List<double> _ms = [];
    private readonly Stopwatch _wall = new();

    public void Start() => _wall.Start();

    public void Stop() => _wall.Stop();

    public void Add(double ms)
    {
        lock (_ms)
        {
            _ms.Add(ms);
        }
    }

    private void AddRange(List<double> ms)
    {
        lock (_ms)
        {
            _ms.AddRange(ms);
        }
    }

    public int Count => _ms.Count;

    public TimeSpan Elapsed => _wall.Elapsed;

    public double PerSecond => _ms.Count / _wall.Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        lock (_ms)
        {
            if (_ms.Count == 0)
            {
                return 0;
            }

            var sorted = _ms.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    public override string ToString() =>
        $"{Count,9:N0} ops in {_wall.Elapsed.TotalSeconds,6:N1} s = {PerSecond,9:N0}/s   p50 {Percentile(50),7:N2} ms   p99 {Percentile(99),8:N2} ms";

    /// <summary>
    /// Runs the operations with at most <paramref name="inFlight"/> at a time, timing each. Every caller is its own
    /// thread-pool work item: an operation that completes synchronously (Microsoft.Data.Sqlite's "async" calls do)
    /// would otherwise run the whole list on the first caller, one at a time, and a baseline would not be concurrent.
    /// </summary>
    public static async Task<Latencies> RunAsync<T>(IReadOnlyList<T> items, int inFlight, Func<T, Task> operation)
    {
        var latencies = new Latencies();
        var next = -1;
        latencies.Start();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(items[i]);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        latencies.Stop();
        return latencies;
    }

    /// <summary>Runs <paramref name="operation"/> (given a running number) for <paramref name="duration"/> with <paramref name="inFlight"/> at a time.</summary>
    public static async Task<Latencies> RunForAsync(TimeSpan duration, int inFlight, Func<long, Task> operation)
    {
        var latencies = new Latencies();
        var next = -1L;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        latencies.Start();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            // Each caller keeps its own list, so measuring adds no lock to the path being measured.
            var mine = new List<double>();
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(Interlocked.Increment(ref next));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            latencies.AddRange(mine);
        })));
        latencies.Stop();
        return latencies;
    }
}
