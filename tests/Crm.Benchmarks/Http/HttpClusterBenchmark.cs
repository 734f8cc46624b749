using System.Diagnostics;
using System.Text.Json;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Tests.Infrastructure;

namespace Crm.Benchmarks.Http;

/// <summary>
/// Do reads scale with silos? Two server processes on one PostgreSQL database (the cluster profile): customer reads
/// through one silo, then through both (two wrk processes, half the connections each), in the same run. This machine
/// has two cores, so one silo is pinned to core 0 and the other to core 1 (taskset) and each run is compared on the
/// same footing: one silo on one core, then two silos on one core each. wrk and PostgreSQL are not pinned and take their
/// share from both, which is why the ratio cannot reach 2.
/// </summary>
public sealed class HttpClusterBenchmark : IBenchmark
{
    public string Name => "http-cluster";

    public string Description => "Customer reads through one silo vs two silos of a PostgreSQL cluster, each silo pinned to its own core " +
                                 "[--customers 2000 --reps 100 --connections 64 --seconds 10 --warm-up 3]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 2_000);
        var reps = options.Int("reps", 100);
        var connections = options.Int("connections", 64);
        var seconds = options.Int("seconds", 10);
        var warmUp = options.Int("warm-up", 3);
        if (!File.Exists("/usr/bin/wrk") || !File.Exists("/usr/bin/taskset"))
        {
            Console.WriteLine("http-cluster needs wrk and taskset (apt-get install wrk util-linux)");
            return;
        }

        Environment.SetEnvironmentVariable("CRM_TEST_POSTGRES", Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? PostgresDatabase.DefaultServer);
        Console.WriteLine($"http-cluster: {customers:N0} customers owned by {reps} reps, wrk {connections} connections, {warmUp} s warm-up + {seconds} s, " +
                          $"{Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");
        await using var database = await PostgresDatabase.CreateAsync();
        using var dataA = new TempDirectory("crm-bench-silo-a");
        using var dataB = new TempDirectory("crm-bench-silo-b");
        using var work = new TempDirectory("crm-bench-cluster-wrk");
        await using var siloA = await ServerProcess.StartAsync(dataA.Path, database.ServerSettings());
        Pin(siloA, 0);
        var owned = await FollowUpStormBenchmark.SetUpAsync(siloA, customers, reps);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "get.lua"), HttpReadsBenchmark.GetScript);
        var targets = Path.Combine(work.Path, "targets.txt");
        await File.WriteAllLinesAsync(targets, owned.Select(o => $"/api/customers/{o.CustomerId} {o.Token}")); // each owner reads its own

        await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, warmUp, [targets], siloA);
        var one = await Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections, seconds, [targets], siloA);

        await using var siloB = await ServerProcess.StartAsync(dataB.Path, database.ServerSettings());
        Pin(siloB, 1);
        await WaitForTwoSilosAsync(siloA);
        await Task.WhenAll(
            Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections / 2, warmUp, [targets], siloA),
            Wrk.RunAsync(work.Path, "get.lua", Url(siloB), 1, connections / 2, warmUp, [targets], siloB));
        var both = await Task.WhenAll(
            Wrk.RunAsync(work.Path, "get.lua", Url(siloA), 1, connections / 2, seconds, [targets], siloA),
            Wrk.RunAsync(work.Path, "get.lua", Url(siloB), 1, connections / 2, seconds, [targets], siloB));

        var twoSilos = both.Sum(r => r.PerSecond);
        Console.WriteLine();
        Console.WriteLine($"{"GET /api/customers/{id} (own)",-36}{"requests/s",12}{"p50 ms",9}{"p99 ms",9}{"server CPU/req",16}");
        Console.WriteLine($"{"one silo (core 0)",-36}{one.PerSecond,12:N0}{one.P50,9:N2}{one.P99,9:N2}{one.ServerCpuMicros,13:N0} µs");
        Console.WriteLine($"{"two silos (cores 0 and 1), silo A",-36}{both[0].PerSecond,12:N0}{both[0].P50,9:N2}{both[0].P99,9:N2}{both[0].ServerCpuMicros,13:N0} µs");
        Console.WriteLine($"{"two silos (cores 0 and 1), silo B",-36}{both[1].PerSecond,12:N0}{both[1].P50,9:N2}{both[1].P99,9:N2}{both[1].ServerCpuMicros,13:N0} µs");
        Console.WriteLine($"two silos / one silo: {twoSilos / one.PerSecond:N2}x (bar 1.6x: {(twoSilos / one.PerSecond >= 1.6 ? "met" : "NOT met")}); " +
                          $"wrk and PostgreSQL share the same two cores; load average at the end {HistoryBenchmark.LoadAverage()}");
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
