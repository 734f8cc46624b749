using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks.Storage;

/// <summary>
/// Durable grain writes through Orleans, per grain-storage provider (the ADO.NET provider as the baseline,
/// group commit) and database, at 1, 100 and 1,000 writes in flight: writes/s, p50/p99, writes per
/// commit, and the scheduler-stall warnings the silo logged. The database's raw commit rate (one writer,
/// one row per transaction, same durability) is measured in the same run as the limit a
/// one-transaction-per-write design cannot pass.
/// </summary>
public sealed class StorageBenchmark : IBenchmark
{
    public string Name => "storage";

    public string Description => "durable grain writes: ADO.NET provider vs group commit, SQLite and PostgreSQL, 1/100/1,000 in flight " +
                                 "[--seconds 4 --grains 1000 --databases sqlite,postgresql --providers AdoNet,GroupCommit --in-flight 1,100,1000 " +
                                 "--postgres <conn> --sqlite-durability Normal]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var duration = TimeSpan.FromSeconds(options.Int("seconds", 4));
        var grains = options.Int("grains", 1_000);
        var databases = (options.String("databases") ?? "sqlite,postgresql").Split(',');
        var providers = (options.String("providers") ?? "AdoNet,GroupCommit").Split(',').Select(p => Enum.Parse<GrainStorageKind>(p, ignoreCase: true)).ToArray();
        var inFlight = (options.String("in-flight") ?? "1,100,1000").Split(',').Select(int.Parse).ToArray();
        var durability = Enum.Parse<SqliteDurability>(options.String("sqlite-durability") ?? "Normal", ignoreCase: true);
        var postgres = options.String("postgres") ?? Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Port=5432;Username=crm;Password=crm;Database=crm_test";
        Console.WriteLine($"storage: {grains:N0} grains, customer-sized state, {duration.TotalSeconds:N0} s per cell, " +
                          $"SQLite WAL synchronous={durability.ToString().ToUpperInvariant()}, {Environment.ProcessorCount} cores");

        var results = new List<Result>();
        foreach (var name in databases)
        {
            BenchDatabase target;
            try
            {
                target = name.Equals("postgresql", StringComparison.OrdinalIgnoreCase)
                    ? await BenchDatabase.PostgreSqlAsync(postgres)
                    : BenchDatabase.Sqlite(durability);
            }
            catch (Exception ex)
            {
                Console.WriteLine($"{name}: not available ({ex.Message}); skipped");
                continue;
            }

            await using (target)
            {
                results.AddRange(await RunDatabaseAsync(target.Database, grains, duration, providers, inFlight));
            }
        }

        Print(results);
    }

    private static async Task<List<Result>> RunDatabaseAsync(CrmDatabase database, int grains, TimeSpan duration,
        GrainStorageKind[] providers, int[] inFlightLevels)
    {
        var label = database.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
        SchemaInstaller.Apply(database, null);
        var results = new List<Result> { new(label, "raw commits", 1, RawCommits(database, duration), 1, 0) };
        Console.WriteLine($"  {label,-10} raw commits: {results[0].Latencies}");
        foreach (var provider in providers)
        {
            var stalls = new StallCounter();
            await using var silo = await BenchSilo.StartAsync(database, logging: l => l.AddProvider(stalls), grainStorage: provider);
            var writer = silo.Services.GetRequiredService<SqlBatchWriter>();
            // Callers hold their grain references, as a real client does.
            var refs = Enumerable.Range(0, grains).Select(i => silo.Grains.GetGrain<IStorageBenchGrain>(i)).ToArray();

            // Activate every grain and create its row before measuring.
            await Latencies.RunAsync(Enumerable.Range(0, grains).ToArray(), 100, i => refs[i].Write(0));
            if (provider == GrainStorageKind.GroupCommit)
            {
                var memory = await Latencies.RunForAsync(duration, inFlightLevels[^1], n => refs[n % grains].Touch(n));
                results.Add(new Result(label, "in-memory", inFlightLevels[^1], memory, 0, 0));
                Console.WriteLine($"  {label,-10} {"in-memory",-12} {inFlightLevels[^1],5} in flight: {memory}");
            }

            foreach (var inFlight in inFlightLevels)
            {
                var (commits, writes, busy, stallsBefore, gcPause) = (writer.Commits, writer.CommittedWrites, writer.BusyTime, stalls.Stalls, GC.GetTotalPauseDuration());
                var allocated = GC.GetTotalAllocatedBytes();
                var latencies = await Latencies.RunForAsync(duration, inFlight, n => refs[n % grains].Write(n));
                var perCommit = provider == GrainStorageKind.AdoNet ? 1 : (double)(writer.CommittedWrites - writes) / Math.Max(1, writer.Commits - commits);
                var cellStalls = stalls.Stalls - stallsBefore;
                results.Add(new Result(label, provider.ToString(), inFlight, latencies, perCommit, cellStalls));
                Console.WriteLine($"  {label,-10} {provider,-12} {inFlight,5} in flight: {latencies}   {perCommit,6:N1} writes/commit   stalls {cellStalls}   writer busy {(writer.BusyTime - busy) / latencies.Elapsed:P0}   " +
                                  $"p90 {latencies.Percentile(90):N1} p99.9 {latencies.Percentile(99.9):N1} max {latencies.Percentile(100):N1} ms   GC pauses {(GC.GetTotalPauseDuration() - gcPause) / latencies.Elapsed:P1}, " +
                                  $"{(GC.GetTotalAllocatedBytes() - allocated) / Math.Max(1, latencies.Count):N0} B allocated per write");
            }

            // The whole life of this silo counts, warm-up included.
            results.Add(new Result(label, provider + " silo", 0, new Latencies(), 0, stalls.Stalls));
        }

        return results;
    }

    /// <summary>One writer, one small row update per transaction, as fast as the database commits them.</summary>
    private static Latencies RawCommits(CrmDatabase database, TimeSpan duration)
    {
        using var connection = database.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                CREATE TABLE IF NOT EXISTS bench_raw_commits (id INTEGER PRIMARY KEY, n BIGINT NOT NULL, payload BYTEA NULL);
                INSERT INTO bench_raw_commits (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                """;
            setup.ExecuteNonQuery();
        }

        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE bench_raw_commits SET n = n + 1, payload = @payload WHERE id = 1";
        var payload = update.CreateParameter();
        payload.ParameterName = "@payload";
        payload.Value = new byte[600];
        update.Parameters.Add(payload);

        var latencies = new Latencies();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        latencies.Start();
        while (Stopwatch.GetTimestamp() < end)
        {
            var started = Stopwatch.GetTimestamp();
            using (var transaction = connection.BeginTransaction())
            {
                update.Transaction = transaction;
                update.ExecuteNonQuery();
                transaction.Commit();
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Stop();
        return latencies;
    }

    private static void Print(List<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"database",-11}{"provider",-13}{"in flight",10}{"writes/s",11}{"p50 ms",9}{"p99 ms",10}{"writes/commit",15}{"stalls",8}{"x AdoNet",10}{"x raw commits",15}");
        foreach (var r in results.Where(r => !r.Provider.EndsWith(" silo", StringComparison.Ordinal)))
        {
            var baseline = results.FirstOrDefault(b => b.Database == r.Database && b.Provider == nameof(GrainStorageKind.AdoNet) && b.InFlight == r.InFlight);
            var raw = results.First(b => b.Database == r.Database && b.Provider == "raw commits");
            var vsAdoNet = r.Provider == nameof(GrainStorageKind.GroupCommit) && baseline is not null ? $"{r.Rate / baseline.Rate:N1}x" : "";
            var vsRaw = r.Provider is "raw commits" or "in-memory" ? "" : $"{r.Rate / raw.Rate:N2}x";
            Console.WriteLine($"{r.Database,-11}{r.Provider,-13}{r.InFlight,10:N0}{r.Rate,11:N0}{r.Latencies.Percentile(50),9:N2}{r.Latencies.Percentile(99),10:N2}" +
                              $"{(r.PerCommit > 0 ? r.PerCommit.ToString("N1") : ""),15}{(r.Provider is "raw commits" or "in-memory" ? "" : r.Stalls.ToString()),8}{vsAdoNet,10}{vsRaw,15}");
        }

        Console.WriteLine();
        foreach (var database in results.Select(r => r.Database).Distinct())
        {
            var top = results.FirstOrDefault(r => r.Database == database && r.Provider == nameof(GrainStorageKind.GroupCommit) && r.InFlight == 1_000);
            var baseline = results.FirstOrDefault(r => r.Database == database && r.Provider == nameof(GrainStorageKind.AdoNet) && r.InFlight == 1_000);
            if (top is null || baseline is null)
            {
                continue;
            }

            var stalls = results.Single(r => r.Database == database && r.Provider == nameof(GrainStorageKind.GroupCommit) + " silo").Stalls;
            var adoNetStalls = results.Single(r => r.Database == database && r.Provider == nameof(GrainStorageKind.AdoNet) + " silo").Stalls;
            Console.WriteLine($"{database} at 1,000 in flight: group commit {top.Rate:N0} writes/s, p99 {top.Latencies.Percentile(99):N1} ms, " +
                              $"{top.Rate / baseline.Rate:N1}x the ADO.NET provider ({baseline.Rate:N0} writes/s, p99 {baseline.Latencies.Percentile(99):N1} ms); " +
                              $"stall warnings over each silo's whole run: group commit {stalls}, ADO.NET {adoNetStalls}");
        }
    }

    private sealed record Result(string Database, string Provider, int InFlight, Latencies Latencies, double PerCommit, long Stalls)
    {
        public double Rate => Latencies.PerSecond;
    }
}
