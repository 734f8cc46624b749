using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Crm.Tests.Infrastructure;

namespace Crm.Benchmarks.Common;

/// <summary>
/// Runs wrk (a C load generator, cheaper on CPU than one in .NET) with a Lua script against the real server process, and
/// reads its figures: answers, p50/p99, and the CPU time the server and wrk spent per request.
/// </summary>
public static class Wrk
{
    /// <param name="core">Pins wrk to this core (taskset), else the scheduler places it.</param>
    public static async Task<WrkResult> RunAsync(string work, string script, string url, int threads, int connections, int seconds, string[] scriptArgs,
        ServerProcess server, int? core = null)
    {
        // Through bash, whose 'times' prints the CPU time wrk used (user and system) once it exited.
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
        // GNU time writes wrk's context switches (voluntary, involuntary) to a file of their own.
        var switchesFile = Path.Combine(work, $"wrk-switches-{Guid.NewGuid():N}.txt");
        var timed = File.Exists("/usr/bin/time") ? $"/usr/bin/time -o {switchesFile} -f 'switches %w %c' " : "";
        var command = core is { } pinned ? $"taskset -c {pinned} {timed}wrk \"$@\"; times" : $"{timed}wrk \"$@\"; times";
        foreach (var a in new[] { "-c", command, "wrk" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in new[] { "-t", threads.ToString(), "-c", connections.ToString(), "-d", $"{seconds}s", "--timeout", "10s", "--latency", "-s", script, url, "--" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in scriptArgs)
        {
            start.ArgumentList.Add(a);
        }

        var serverCpu = server.ProcessorTime;
        var serverSwitches = ContextSwitches.Of(server.ProcessId);
        var serverKernel = KernelTime(server.ProcessId);
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var times = Regex.Matches(output, @"(\d+)m([\d.]+)s");
        var wrkCpu = times.Count >= 4
            ? TimeSpan.FromSeconds(times.TakeLast(2).Sum(t => int.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) * 60 +
                                                               double.Parse(t.Groups[2].Value, CultureInfo.InvariantCulture)))
            : TimeSpan.Zero;
        var cpu = server.ProcessorTime - serverCpu;
        var switches = ContextSwitches.Of(server.ProcessId).Since(serverSwitches);
        var kernel = KernelTime(server.ProcessId) - serverKernel;
        var wrkSwitches = ContextSwitches.FromTimeFile(switchesFile);
        var requests = long.Parse(Regex.Match(output, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
        var elapsed = Seconds(Regex.Match(output, @"requests in ([\d.]+\w+),").Groups[1].Value);
        var acked = Regex.Match(output, @"acked (\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (Regex.Match(output, @"statuses (.*)") is { Success: true } statuses)
        {
            Console.WriteLine($"    wrk {script} {seconds}s: statuses {statuses.Groups[1].Value.Trim()}");
        }

        if (Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } refused)
        {
            Console.WriteLine($"    wrk {script} {seconds}s: {refused.Groups[1].Value} answers were not 2xx or 3xx");
        }

        if (errors.Length > 0 || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            Console.WriteLine($"    wrk: {Regex.Match(output, "Socket errors.*").Value} {errors.Trim()}");
        }

        // Percentiles from the latency distribution's own lines: a "+/- Stdev" such as "76.50%" must not match "50%".
        return new WrkResult(requests, elapsed, Millis(Regex.Match(output, @"(?m)^\s+50%\s+(\S+)").Groups[1].Value),
            Millis(Regex.Match(output, @"(?m)^\s+99%\s+(\S+)").Groups[1].Value), acked,
            cpu.TotalMicroseconds / Math.Max(1, requests), wrkCpu.TotalMicroseconds / Math.Max(1, requests))
        {
            ServerSwitches = switches.PerRequest(requests),
            WrkSwitches = wrkSwitches.PerRequest(requests),
            ServerThreads = (switches.ThreadsStarted, switches.ThreadsGone),
            ServerKernelMicros = kernel.TotalMicroseconds / Math.Max(1, requests),
        };
    }

    /// <summary>A process's system (kernel) CPU time so far, from /proc/&lt;pid&gt;/stat (in clock ticks of 10 ms).</summary>
    private static TimeSpan KernelTime(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromMilliseconds(long.Parse(fields[12], CultureInfo.InvariantCulture) * 10);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    private static double Millis(string value) => value switch
    {
        _ when value.EndsWith("us", StringComparison.Ordinal) => double.Parse(value[..^2], CultureInfo.InvariantCulture) / 1000,
        _ when value.EndsWith("ms", StringComparison.Ordinal) => double.Parse(value[..^2], CultureInfo.InvariantCulture),
        _ when value.EndsWith('s') => double.Parse(value[..^1], CultureInfo.InvariantCulture) * 1000,
        _ => double.NaN,
    };

    private static double Seconds(string value) => Millis(value) / 1000;

    public sealed record WrkResult(long Requests, double Seconds, double P50, double P99, long Acked, double ServerCpuMicros, double WrkCpuMicros)
    {
        public double PerSecond => Requests / Seconds;

        /// <summary>The server's context switches per request, voluntary (it waited) and involuntary (preempted).</summary>
        public (double Voluntary, double Involuntary) ServerSwitches { get; init; }

        /// <summary>The part of <see cref="ServerCpuMicros"/> spent in the kernel (system time: sockets, scheduling).</summary>
        public double ServerKernelMicros { get; init; }

        /// <summary>Server threads started and gone during the run (thread-pool churn).</summary>
        public (int Started, int Gone) ServerThreads { get; init; }

        /// <summary>wrk's context switches per request (zero when GNU time is not installed).</summary>
        public (double Voluntary, double Involuntary) WrkSwitches { get; init; }

        public override string ToString() =>
            $"{Requests:N0} answers in {Seconds:N1} s = {PerSecond:N0}/s{(Acked > 0 ? $" ({Acked / Seconds:N0}/s acknowledged 201)" : "")}, p50 {P50:N2} ms, p99 {P99:N2} ms, " +
            $"server CPU {ServerCpuMicros:N0} µs and wrk CPU {WrkCpuMicros:N0} µs per request";
    }

}
