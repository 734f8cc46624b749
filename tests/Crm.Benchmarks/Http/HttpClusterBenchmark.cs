using System.Diagnostics;
using System.Text.Json;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Tests.Infrastructure;

namespace Crm.Benchmarks.Http;

/// <summary>
/// Do reads scale with silos? Two server processes on one PostgreSQL database (the cluster profile): customer reads
/// through one silo, then through both (two wrk processes, half the connections each), in the same run. This machine
/// has two cores: one silo runs on core 0 with wrk on core 1; then silo A on core 0 and silo B on core 1, each silo's
/// wrk on the other silo's core (taskset), so each core carries one silo and one load generator. PostgreSQL is not
/// pinned (reads do not touch it). Every configuration is warmed until each silo's CPU per read settles. Two silos are
/// measured twice: with sticky sessions (each rep's requests go to one silo, and customer grains follow their reads
/// there) and with requests spread over both silos.
/// </summary>
public sealed class HttpClusterBenchmark : IBenchmark
{
    public string Name => "http-cluster";

    public string Description => "Customer reads through one silo vs two silos of a PostgreSQL cluster, each silo pinned to its own core " +
                                 "[--customers 2000 --reps 100 --connections 64 --seconds 10 --warm-up 5 --jit-defaults --shared-core --colocated --per-silo-connections --silo-env K=V,K=V]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 2_000);
        var reps = options.Int("reps", 100);
        var connections = options.Int("connections", 64);
        // Connections each silo of the two gets: half by default (the same 64 clients in all), or as many as the one silo had
        // (--per-silo-connections: each silo kept as busy as the one silo, which batches more reads per wake-up with more in flight).
        var perSilo = args.Contains("--per-silo-connections") ? connections : connections / 2;
        var seconds = options.Int("seconds", 10);
        var warmUp = options.Int("warm-up", 5);
        if (!File.Exists("/usr/bin/wrk") || !File.Exists("/usr/bin/taskset"))
        {
            Console.WriteLine("http-cluster needs wrk and taskset (apt-get install wrk util-linux)");
            return;
        }

        Environment.SetEnvironmentVariable("CRM_TEST_POSTGRES", Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? PostgresDatabase.DefaultServer);
        Console.WriteLine($"http-cluster: {customers:N0} customers owned by {reps} reps, wrk {connections} connections ({perSilo} per silo of two), {warmUp} s warm-up + {seconds} s, " +
                          $"{Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");
        await using var database = await PostgresDatabase.CreateAsync();
        using var dataA = new TempDirectory("crm-bench-silo-a");
        using var dataB = new TempDirectory("crm-bench-silo-b");
        using var work = new TempDirectory("crm-bench-cluster-wrk");
        // The silos run with the deployment setting docs/configuration.md recommends (tiered JIT without its call-counting
        // delay) unless --jit-defaults: under load a silo that has just started otherwise stays on unoptimized code.
        var settings = database.ServerSettings();
        // The setup's writes on a machine shared with other builds (load 50-60) timed out at the default 5 s; reads never wait on it.
        settings["Crm__Storage__DatabaseTimeout"] = "00:00:30";
        if (!args.Contains("--jit-defaults"))
        {
            settings["DOTNET_TC_CallCountingDelayMs"] = "0";
        }

        // Runtime settings to try on every silo alike (one and two silos), e.g. --silo-env DOTNET_GCHeapCount=1,DOTNET_gcConcurrent=0.
        foreach (var pair in (options.String("silo-env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            settings[key] = value;
        }

        await using var siloA = await StartSiloAsync(dataA.Path, settings);
        Pin(siloA, 0);
        var owned = await FollowUpStormBenchmark.SetUpAsync(siloA, customers, reps);
        using var admin = await siloA.Api().LoginAsAdminAsync();
        var addressA = (await admin.GetAsync<JsonElement>("/api/admin/cluster"))[0].GetProperty("address").GetString();
        await File.WriteAllTextAsync(Path.Combine(work.Path, "get.lua"), ReadScript);

        // Each owner reads its own customers. Sticky sessions: a rep's app stays on one silo (half the reps on each);
        // spread: every request may land on either silo, as behind a round-robin balancer without affinity.
        var byRep = owned.GroupBy(o => o.Token).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var halfA = byRep.Where((_, i) => i % 2 == 0).SelectMany(g => g).ToList();
        var halfB = byRep.Where((_, i) => i % 2 == 1).SelectMany(g => g).ToList();
        var all = await TargetsAsync(work.Path, "all", owned);
        var stickyA = await TargetsAsync(work.Path, "sticky-a", halfA);
        var stickyB = await TargetsAsync(work.Path, "sticky-b", halfB);

        // One silo on core 0, wrk on core 1: the load generator apart from the silo. Warmed until its CPU per read settles.
        var stopwatch = Stopwatch.StartNew();
        var idleOne = await IdleCpuAsync(siloA);
        var settledOne = await SettleAsync("one silo", async () => [await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, warmUp, [all], siloA, core: 1)]);
        var one = await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, seconds, [all], siloA, core: 1);
        var loadOne = HistoryBenchmark.LoadAverage();

        // Diagnostic (--shared-core): the one silo with its wrk on its own core 0, sharing the core as each silo of the two-silo
        // configuration shares its core with the other silo's wrk, but without a cluster. If its CPU per read matches a
        // cluster silo's, the cluster silo's extra cost is the shared core, not clustering.
        Wrk.WrkResult? shared = null;
        var settledShared = "";
        var alternating = "";
        if (args.Contains("--shared-core"))
        {
            settledShared = await SettleAsync("one silo, wrk on its core", async () => [await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, warmUp, [all], siloA, core: 0)]);
            shared = await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, seconds, [all], siloA, core: 0);
            // Alone and shared rounds one after the other, so drift of the machine's load falls on both alike.
            var pairs = new List<(Wrk.WrkResult Alone, Wrk.WrkResult Shared)>();
            for (var i = 0; i < 3; i++)
            {
                pairs.Add((await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, warmUp, [all], siloA, core: 1),
                    await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, warmUp, [all], siloA, core: 0)));
                Console.WriteLine($"  alternating round {i + 1}: wrk on core 1 {Brief(pairs[^1].Alone)}; wrk on core 0 {Brief(pairs[^1].Shared)}");
            }

            alternating = $"one silo in alternating {warmUp} s rounds, median CPU per read: wrk on core 1 {Median(pairs.Select(p => p.Alone.ServerCpuMicros)):N0} µs, " +
                          $"wrk on core 0 too {Median(pairs.Select(p => p.Shared.ServerCpuMicros)):N0} µs " +
                          $"(x{Median(pairs.Select(p => p.Shared.ServerCpuMicros / p.Alone.ServerCpuMicros)):N2}; kernel part {Median(pairs.Select(p => p.Alone.ServerKernelMicros)):N0} / {Median(pairs.Select(p => p.Shared.ServerKernelMicros)):N0} µs)";
        }

        await using var siloB = await StartSiloAsync(dataB.Path, settings);
        Pin(siloB, 1);
        var startedB = Stopwatch.StartNew();
        await WaitForTwoSilosAsync(siloA);
        var idleTwo = await IdleCpuAsync(siloA, siloB);

        // Sticky first: during its warm-up the grains of B's reps follow their reads to silo B (ReadAffinity), each after
        // 16 reads in a row through B. The warm-up goes on until the sample shows them there and, as for the one silo,
        // until each silo's CPU per read has settled: a silo that has just started runs its request path as tier-0 and
        // instrumented JIT code, several times dearer than the optimized code the first silo has long since reached.
        var onHome = (A: 0, B: 0, Sampled: 0);
        var settledSticky = await SettleAsync("two silos, sticky", async () =>
        {
            var runs = await Both(warmUp, stickyA, stickyB);
            onHome = await OnHomeSiloAsync(admin, halfA, halfB, addressA);
            Console.WriteLine($"    sampled grains on their readers' silo: A's {onHome.A}/{onHome.Sampled}, B's {onHome.B}/{onHome.Sampled}; silo B up {startedB.Elapsed.TotalSeconds:N0} s");
            return runs;
        }, () => onHome.B >= onHome.Sampled * 9 / 10);

        var sticky = await Both(seconds, stickyA, stickyB);
        var loadSticky = HistoryBenchmark.LoadAverage();
        // Diagnostic (--colocated): sticky again, each silo's wrk on that silo's own core (as the one silo of --shared-core).
        Wrk.WrkResult[]? colocated = null;
        var settledColocated = "";
        if (args.Contains("--colocated"))
        {
            settledColocated = await SettleAsync("two silos, sticky, each wrk on its silo's core", () => Both(warmUp, stickyA, stickyB, ownCore: true));
            colocated = await Both(seconds, stickyA, stickyB, ownCore: true);
        }
        var settledSpread = await SettleAsync("two silos, spread", () => Both(warmUp, all, all));
        var spread = await Both(seconds, all, all);
        var loadSpread = HistoryBenchmark.LoadAverage();

        Console.WriteLine();
        Console.WriteLine($"{"GET /api/customers/{id} (own)",-44}{"requests/s",12}{"p50 ms",9}{"p99 ms",9}{"server CPU/req",16}{"",14}{"wrk CPU/req",13}" +
                          $"{"server switches/req vol+invol",32}{"wrk switches/req",19}{"threads",12}");
        Row("one silo (core 0; wrk on core 1)", one);
        if (shared is not null)
        {
            Row("one silo, wrk on core 0 too (diagnostic)", shared);
        }

        Row("two silos, sticky sessions: silo A (core 0)", sticky[0]);
        Row("two silos, sticky sessions: silo B (core 1)", sticky[1]);
        if (colocated is not null)
        {
            Row("two sticky, own wrk on own core: silo A", colocated[0]);
            Row("two sticky, own wrk on own core: silo B", colocated[1]);
        }

        Row("two silos, spread requests: silo A (core 0)", spread[0]);
        Row("two silos, spread requests: silo B (core 1)", spread[1]);
        Console.WriteLine($"warm-up (5 % rule, at most {MaxWarmUpRounds} rounds): {settledOne}; {(shared is null ? "" : settledShared + "; ")}{settledSticky}; {settledSpread}");
        Console.WriteLine($"idle CPU (no requests, 5 s; the silos' own timers, membership, directory, dashboard): one silo {idleOne[0]:N1} ms/s; " +
                          $"two silos A {idleTwo[0]:N1} ms/s, B {idleTwo[1]:N1} ms/s (B just joined)");
        Console.WriteLine($"load average at the end of the measured run: one silo {loadOne}; two sticky {loadSticky}; two spread {loadSpread}");
        Console.WriteLine($"customer grains on the silo their owner's reads come through (sampled after the sticky warm-up): silo A's reps {onHome.A}/{onHome.Sampled}, silo B's reps {onHome.B}/{onHome.Sampled}");
        if (colocated is not null)
        {
            var best = Math.Max(one.PerSecond, shared?.PerSecond ?? 0);
            Console.WriteLine($"{settledColocated}; two silos sticky, each wrk on its own silo's core / the better of the one silo's placements " +
                              $"({best:N0}/s): {colocated.Sum(r => r.PerSecond) / best:N2}x; / the one silo with wrk on core 1: {colocated.Sum(r => r.PerSecond) / one.PerSecond:N2}x");
        }

        foreach (var (label, runs) in new[] { ("sticky sessions", sticky), ("spread requests", spread) })
        {
            var ratio = runs.Sum(r => r.PerSecond) / one.PerSecond;
            Console.WriteLine($"two silos / one silo, {label}: {ratio:N2}x (bar 1.6x: {(ratio >= 1.6 ? "met" : "NOT met")})");
        }

        // The ceiling of two silos over one on two cores: one silo is bound by its own CPU per read s (wrk has the other core);
        // two silos by the machine's two cores, each read costing a silo's s plus a wrk's w: 2/(s+w) against 1/s.
        var (s1, w1) = (one.ServerCpuMicros, one.WrkCpuMicros);
        Console.WriteLine($"ceiling 2s/(s+w) with the one silo's s = {s1:N0} µs and w = {w1:N0} µs: {2 * s1 / (s1 + w1):N2}x; " +
                          $"with the sticky silos' own s = {sticky.Average(r => r.ServerCpuMicros):N0} µs and w = {sticky.Average(r => r.WrkCpuMicros):N0} µs: " +
                          $"{2 * s1 / (sticky.Average(r => r.ServerCpuMicros) + sticky.Average(r => r.WrkCpuMicros)):N2}x");
        if (shared is not null)
        {
            Console.WriteLine(alternating);
            Console.WriteLine($"two silos sticky / twice the one silo sharing its core with wrk: {sticky.Sum(r => r.PerSecond) / (2 * shared.PerSecond):N2} " +
                              "(1.00 = clustering itself costs nothing beyond the shared core)");
        }

        Console.WriteLine($"two silos: the wrk of silo A runs on core 1, that of silo B on core 0 (each silo shares its core with the other's load generator); " +
                          $"PostgreSQL is not pinned. Silo runtime settings: {RuntimeSettings(settings)}. {stopwatch.Elapsed.TotalSeconds:N0} s of reads; load average at the end {HistoryBenchmark.LoadAverage()}");

        Task<Wrk.WrkResult[]> Both(int duration, string targetsA, string targetsB, bool ownCore = false) => Task.WhenAll(
            Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, perSilo, duration, [targetsA], siloA, core: ownCore ? 0 : 1),
            Wrk.RunAsync(work.Path, "get.lua", Url(siloB), 1, perSilo, duration, [targetsB], siloB, core: ownCore ? 1 : 0));
    }

    /// <summary>
    /// Warm-up rounds until every silo's CPU per request has stopped falling (and <paramref name="ready"/> holds), at most
    /// <see cref="MaxWarmUpRounds"/>: figures taken before the JIT has finished optimizing the request path measure the JIT.
    /// Settled means two consecutive rounds in which no silo reached a new low: each silo's CPU per read in both rounds is
    /// at least 95 % of the lowest it had in every round before them. A single round that rises by chance (as in a run
    /// where silo B, 21 s old, went from 239 to 270 µs and was measured while still being optimized) no longer ends it,
    /// and neither does a steady slide of more than about 2.5 % per round: both rounds are held to the same earlier low,
    /// and two such rounds end more than 5 % below it (0.975² ≈ 0.95); a slower slide does count as settled.
    /// </summary>
    /// <returns>A line saying after how many rounds it settled, or that it did not.</returns>
    private static async Task<string> SettleAsync(string label, Func<Task<Wrk.WrkResult[]>> round, Func<bool>? ready = null)
    {
        var history = new List<double[]>();
        for (var i = 1; i <= MaxWarmUpRounds; i++)
        {
            var runs = await round();
            history.Add(runs.Select(r => r.ServerCpuMicros).ToArray());
            Console.WriteLine($"  {label} warm-up round {i}: " + string.Join(", ", runs.Select(Brief)));
            if (NoNewLow(history) && (ready?.Invoke() ?? true))
            {
                Console.WriteLine($"  {label}: settled after {i} warm-up rounds");
                return $"{label}: settled after {i} warm-up rounds";
            }
        }

        var line = $"{label}: NOT settled after {MaxWarmUpRounds} warm-up rounds (CPU per read still falling, or grains not on their readers' silo)";
        Console.WriteLine("  " + line);
        return line;
    }

    private const int MaxWarmUpRounds = 16;

    /// <summary>The last two rounds set no new low on any silo (within 5 %) against all the rounds before them.</summary>
    private static bool NoNewLow(List<double[]> history)
    {
        if (history.Count < 3)
        {
            return false;
        }

        var earlier = history.Take(history.Count - 2).ToList();
        return Enumerable.Range(0, history[^1].Length).All(silo =>
            Math.Min(history[^1][silo], history[^2][silo]) >= 0.95 * earlier.Min(r => r[silo]));
    }

    /// <summary>
    /// wrk's side of a read, as cheap as wrk allows, since each silo shares its core with the other silo's wrk: every
    /// request is formatted once in init (not per call), and there is no per-answer Lua callback (wrk then does not parse
    /// headers and body into Lua for each answer); answers other than 2xx are counted by wrk itself (Wrk prints them).
    /// </summary>
    private const string ReadScript = """
        local count = 0
        local requests = {}

        function setup(thread)
          count = count + 1
          thread:set("tid", count)
        end

        function init(args)
          for line in io.lines(args[1]) do
            local path, token = line:match("^(%S+) (%S+)$")
            requests[#requests + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
          end
          math.randomseed(tid * 7919 + os.time())
        end

        function request()
          return requests[math.random(#requests)]
        end
        """;

    private static string RuntimeSettings(Dictionary<string, string> silo)
    {
        var set = silo.Keys.Concat(Environment.GetEnvironmentVariables().Keys.Cast<string>())
            .Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && !k.StartsWith("DOTNET_CLI_", StringComparison.Ordinal) && k is not ("DOTNET_NOLOGO" or "DOTNET_GENERATE_ASPNET_CERTIFICATE"))
            .Distinct().OrderBy(k => k, StringComparer.Ordinal).Select(k => $"{k}={(silo.TryGetValue(k, out var v) ? v : Environment.GetEnvironmentVariable(k))}").ToList();
        return set.Count == 0 ? "the runtime's defaults" : string.Join(" ", set);
    }

    /// <summary>
    /// Starts a silo, trying again (up to three times, 15 s apart) when it fails to start: the PostgreSQL server is shared with
    /// other test runs, whose clusters at times take all its connection slots.
    /// </summary>
    private static async Task<ServerProcess> StartSiloAsync(string data, Dictionary<string, string> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ServerProcess.StartAsync(data, settings);
            }
            catch (InvalidOperationException e) when (attempt < 3)
            {
                Console.WriteLine($"  a silo did not start (attempt {attempt}): {e.Message.Split('\n')[0]}; trying again in 15 s");
                await Task.Delay(TimeSpan.FromSeconds(15));
            }
        }
    }

    /// <summary>Each silo's CPU per second while no request comes in: the work a silo does whatever the load.</summary>
    private static async Task<double[]> IdleCpuAsync(params ServerProcess[] silos)
    {
        var before = silos.Select(s => s.ProcessorTime).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5));
        return silos.Select((s, i) => (s.ProcessorTime - before[i]).TotalMilliseconds / clock.Elapsed.TotalSeconds).ToArray();
    }

    private static string Brief(Wrk.WrkResult r) =>
        $"{r.PerSecond:N0}/s at {r.ServerCpuMicros:N0} µs (kernel {r.ServerKernelMicros:N0}), {r.ServerSwitches.Voluntary:N2}+{r.ServerSwitches.Involuntary:N2} switches";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Row(string label, Wrk.WrkResult r) =>
        Console.WriteLine($"{label,-44}{r.PerSecond,12:N0}{r.P50,9:N2}{r.P99,9:N2}{r.ServerCpuMicros,13:N0} µs{$"({r.ServerKernelMicros:N0} kernel)",14}{r.WrkCpuMicros,10:N0} µs" +
                          $"{$"{r.ServerSwitches.Voluntary:N2} + {r.ServerSwitches.Involuntary:N2}",32}{$"{r.WrkSwitches.Voluntary:N2} + {r.WrkSwitches.Involuntary:N2}",19}" +
                          $"{$"+{r.ServerThreads.Started}/-{r.ServerThreads.Gone}",12}");

    private static async Task<string> TargetsAsync(string work, string name, IEnumerable<(Guid CustomerId, string Token)> targets)
    {
        var path = Path.Combine(work, $"{name}.txt");
        await File.WriteAllLinesAsync(path, targets.Select(o => $"/api/customers/{o.CustomerId} {o.Token}"));
        return path;
    }

    /// <summary>How many of 100 sampled customers of each half live on the silo their reads came through.</summary>
    private static async Task<(int A, int B, int Sampled)> OnHomeSiloAsync(CrmApi admin, List<(Guid CustomerId, string Token)> halfA, List<(Guid CustomerId, string Token)> halfB, string? addressA)
    {
        async Task<int> CountAsync(IEnumerable<(Guid CustomerId, string Token)> half, bool onA)
        {
            var count = 0;
            foreach (var (id, _) in half.Take(100))
            {
                var silo = (await admin.GetAsync<JsonElement>($"/api/admin/cluster/customers/{id}")).GetProperty("silo").GetString();
                count += silo is not null && (silo == addressA) == onA ? 1 : 0;
            }

            return count;
        }

        return (await CountAsync(halfA, true), await CountAsync(halfB, false), Math.Min(100, Math.Min(halfA.Count, halfB.Count)));
    }

    private static string Url(ServerProcess silo) => silo.BaseAddress.ToString().TrimEnd('/');

    private static void Pin(ServerProcess silo, int core)
    {
        using var taskset = Process.Start("taskset", ["-a", "-p", "-c", core.ToString(), silo.ProcessId.ToString()]);
        taskset.WaitForExit();
        Console.WriteLine($"pinned silo pid {silo.ProcessId} (all threads) to core {core}");
    }

    private static async Task WaitForTwoSilosAsync(ServerProcess silo)
    {
        using var admin = await silo.Api().LoginAsAdminAsync();
        for (var i = 0; i < 120; i++)
        {
            var cluster = await admin.GetAsync<JsonElement>("/api/admin/cluster");
            if (cluster.ValueKind == JsonValueKind.Array && cluster.GetArrayLength() == 2)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("The second silo did not join within 60 s.");
    }
}
