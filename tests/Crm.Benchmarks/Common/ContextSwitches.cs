using System.Globalization;
using System.Text.RegularExpressions;

namespace Crm.Benchmarks.Common;

/// <summary>
/// Context switches of a process, per thread from /proc/&lt;pid&gt;/task/*/status (a process's own status counts its main
/// thread only). Voluntary: the thread waited (a semaphore, epoll, a lock); involuntary: the scheduler took the core from
/// it (another thread or process wanted it). <see cref="Since"/> sums, over the threads alive at its reading, what each did
/// since the earlier reading (all of it for threads started in between); threads that exited in between take their counts
/// with them, so the sum is a lower bound, and the threads started and gone are counted apart (thread-pool churn).
/// </summary>
public sealed class ContextSwitches
{
    private readonly Dictionary<int, (long Voluntary, long Involuntary)> _threads;

    private ContextSwitches(Dictionary<int, (long Voluntary, long Involuntary)> threads) => _threads = threads;

    public static ContextSwitches Of(int processId)
    {
        var threads = new Dictionary<int, (long Voluntary, long Involuntary)>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                long voluntary = 0, involuntary = 0;
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            voluntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                        else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            involuntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }

                    threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (voluntary, involuntary);
                }
                catch (IOException)
                {
                    // The thread exited while being read.
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return new ContextSwitches(threads);
    }

    /// <summary>What this reading's threads did since <paramref name="before"/>, and how many threads came and went.</summary>
    public Counts Since(ContextSwitches before)
    {
        long voluntary = 0, involuntary = 0;
        foreach (var (tid, now) in _threads)
        {
            var then = before._threads.GetValueOrDefault(tid);
            voluntary += now.Voluntary - then.Voluntary;
            involuntary += now.Involuntary - then.Involuntary;
        }

        return new Counts(voluntary, involuntary, _threads.Keys.Count(t => !before._threads.ContainsKey(t)), before._threads.Keys.Count(t => !_threads.ContainsKey(t)));
    }

    /// <summary>Reads the line "switches &lt;voluntary&gt; &lt;involuntary&gt;" GNU time wrote, and deletes the file.</summary>
    public static Counts FromTimeFile(string path)
    {
        if (!File.Exists(path))
        {
            return default;
        }

        var match = Regex.Match(File.ReadAllText(path), @"switches (\d+) (\d+)");
        File.Delete(path);
        return match.Success
            ? new Counts(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), 0, 0)
            : default;
    }

    public readonly record struct Counts(long Voluntary, long Involuntary, int ThreadsStarted, int ThreadsGone)
    {
        public (double Voluntary, double Involuntary) PerRequest(long requests) =>
            ((double)Voluntary / Math.Max(1, requests), (double)Involuntary / Math.Max(1, requests));
    }
}
