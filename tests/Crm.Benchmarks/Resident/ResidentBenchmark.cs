using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Dapper;

namespace Crm.Benchmarks.Resident;

/// <summary>
/// Customers resident in one silo (issue 22, item 2): N customers owned by R reps, created through their grains on
/// the embedded profile (SQLite, group commit), all left active. Prints the process's RSS and managed heap with them
/// all active, after every idle activation is collected, and the latency of reading a sample of customers cold
/// (each read activates the grain from its stored snapshot) against the same sample warm and against the baseline a
/// plain service pays for the same read: one indexed SELECT of the customer's stored row, the same number in flight.
/// </summary>
public sealed class ResidentBenchmark : IBenchmark
{
    public string Name => "resident";

    public string Description => "N customers of R reps resident: RSS and heap per active and per idle customer, cold activation p99 vs an indexed SELECT [--customers 1000000 --reps 10000 --in-flight 200 --sample 20000 --pause 0 (seconds to wait with all active, for a heap dump) --db-timeout 30 (s) --directory-cache (the server's default) --create grains|seed (seed: snapshots and private pools written in bulk, then every grain activated)]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 1_000_000);
        var reps = options.Int("reps", 10_000);
        var inFlight = options.Int("in-flight", 200);
        var sampleSize = Math.Min(options.Int("sample", 20_000), customers);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-resident-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        // A loaded machine can keep a commit waiting past the server's 5 s; the benchmark measures memory, not that.
        var timeout = TimeSpan.FromSeconds(options.Int("db-timeout", 30));
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}", timeout: timeout);
        var cacheSize = options.Int("directory-cache", new CrmClusterOptions().DirectoryCacheSize);
        Console.WriteLine($"resident: {customers:N0} customers owned by {reps:N0} reps, {inFlight} in flight, cold sample {sampleSize:N0}, " +
                          $"database timeout {timeout.TotalSeconds:N0} s (the server's default: {CrmDatabase.DefaultTimeout.TotalSeconds:N0} s), directory cache {cacheSize:N0}, SQLite file {directory}");

        await using var silo = await BenchSilo.StartAsync(database, clusterOptions: c => c.DirectoryCacheSize = cacheSize);
        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        await silo.Grains.GetGrain<IPoolGrain>("resident-pool").Create("Resident pool", "resident-unit", new PoolRuleSet());
        var empty = Memory.Take(await management.GetTotalActivationCount());
        Console.WriteLine($"silo started: {empty}");

        var ids = Enumerable.Range(0, customers).Select(_ => Guid.NewGuid()).ToArray();
        if (options.String("create") == "seed")
        {
            await SeedAndActivateAsync(silo, ids, reps, inFlight);
        }
        else
        {
            await CreateThroughGrainsAsync(silo, ids, reps, inFlight);
        }

        var active = Memory.Take(await management.GetTotalActivationCount());
        Console.WriteLine($"all active: {active}");
        if (options.Int("pause", 0) is var pause and > 0)
        {
            Console.WriteLine($"pausing {pause} s (take a heap dump now: dotnet-gcdump collect -p {Environment.ProcessId})");
            await Task.Delay(TimeSpan.FromSeconds(pause));
        }

        var sample = new Random(7).GetItems(ids, sampleSize);
        var warm = await Latencies.RunAsync(sample, inFlight, id => silo.Grains.GetGrain<ICustomerGrain>(id).Get());

        try
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
        }
        catch (TimeoutException)
        {
            // A million deactivations outlast the call's 30 s; they go on, and the count below waits for them.
        }

        var idle = Memory.Take(await SettledActivationCountAsync(management));
        Console.WriteLine($"collected: {idle}");

        var cold = await Latencies.RunAsync(sample, inFlight, id => silo.Grains.GetGrain<ICustomerGrain>(id).Get());
        var sql = await Latencies.RunAsync(sample, inFlight, async id =>
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteScalarAsync<byte[]>("SELECT state FROM customer_snapshots WHERE customer_id = @id", new { id = id.ToString() });
        });

        var perActive = (active.RssMb - empty.RssMb) * 1024.0 * 1024 / customers;
        var heapPerActive = (active.HeapMb - empty.HeapMb) * 1024.0 * 1024 / customers;
        Console.WriteLine();
        Console.WriteLine($"{"",-30}{"activations",12}{"RSS MB",10}{"heap MB",10}");
        Print("silo started", empty);
        Print($"{customers:N0} customers active", active);
        Print("after collection", idle);
        Console.WriteLine($"per active customer (with its share of {reps:N0} rep grains): RSS {perActive:N0} B, managed heap {heapPerActive:N0} B; at 1M: RSS {empty.RssMb + perActive * 1_000_000 / 1024 / 1024:N0} MB");
        Console.WriteLine($"per customer after collection: RSS {(idle.RssMb - empty.RssMb) * 1024.0 * 1024 / customers:N0} B, managed heap {(idle.HeapMb - empty.HeapMb) * 1024.0 * 1024 / customers:N0} B");
        Console.WriteLine($"read one customer, {sampleSize:N0} of them, {inFlight} in flight:");
        Console.WriteLine($"  warm grain        {warm}");
        Console.WriteLine($"  cold activation   {cold}");
        Console.WriteLine($"  SQL SELECT        {sql}");
        Console.WriteLine($"  cold activation p99 {cold.Percentile(99) / Math.Max(sql.Percentile(99), 0.001):N2}x the SELECT's, {cold.PerSecond / sql.PerSecond:N2}x its throughput");
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// The same customers and private pools written in bulk (<see cref="OwnedSeed"/>), then every rep grain and every
    /// customer grain activated from what is stored: a customer resident in steady state is one activated from its
    /// snapshot, as after any restart.
    /// </summary>
    private static async Task SeedAndActivateAsync(BenchSilo silo, Guid[] ids, int reps, int inFlight)
    {
        var since = DateTimeOffset.UtcNow.AddDays(-1);
        var clock = Stopwatch.StartNew();
        await OwnedSeed.RunAsync(silo, "resident-pool", "resident-unit", reps,
            ids.Select((id, i) => new OwnedSeed.Owned(id, i % reps, since, null)).ToList());
        Console.WriteLine($"seeded   {ids.Length:N0} snapshots and {reps:N0} private pools in {clock.Elapsed.TotalSeconds:N1} s = {ids.Length / clock.Elapsed.TotalSeconds:N0}/s");
        var repsActive = await Latencies.RunAsync(Enumerable.Range(0, reps).ToList(), inFlight,
            rep => silo.Grains.GetGrain<IRepGrain>(OwnedSeed.RepId(rep)).PrivatePoolVersion());
        Console.WriteLine($"reps activated      {repsActive}");
        var activated = await Latencies.RunAsync(ids, inFlight, async id =>
        {
            if (await silo.Grains.GetGrain<ICustomerGrain>(id).Get() is null)
            {
                throw new InvalidOperationException($"Customer {id} was not seeded.");
            }
        });
        Console.WriteLine($"customers activated {activated}");
    }

    private static async Task CreateThroughGrainsAsync(BenchSilo silo, Guid[] ids, int reps, int inFlight)
    {
        var customers = ids.Length;
        var created = await Latencies.RunAsync(Enumerable.Range(0, customers).ToList(), inFlight, async i =>
        {
            var rep = $"rep-{i % reps}";
            var result = await silo.Grains.GetGrain<ICustomerGrain>(ids[i]).Create(
                new NewCustomer($"客户{i:D7}", $"上海某某贸易有限公司{i % 50_000}", $"138{i:D8}", PoolId: "resident-pool", OwnerId: rep),
                new Actor(rep, UserRole.Rep, "resident-unit"));
            if (!result.Ok)
            {
                throw new InvalidOperationException(result.Error!.Message);
            }
        });
        Console.WriteLine($"created  {created}");
    }

    /// <summary>Waits until the activation count stops falling (deactivations run in the background).</summary>
    private static async Task<int> SettledActivationCountAsync(IManagementGrain management)
    {
        var last = int.MaxValue;
        for (var i = 0; i < 600; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            int now;
            try
            {
                now = await management.GetTotalActivationCount();
            }
            catch (TimeoutException)
            {
                continue; // the silo is busy deactivating
            }

            if (now >= last)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private static void Print(string label, Memory memory) =>
        Console.WriteLine($"{label,-30}{memory.Activations,12:N0}{memory.RssMb,10:N0}{memory.HeapMb,10:N0}");

    /// <summary>The process's resident set and managed heap after a full compacting collection.</summary>
    private sealed record Memory(int Activations, double RssMb, double HeapMb)
    {
        public static Memory Take(int activations)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            return new Memory(activations, process.WorkingSet64 / 1024.0 / 1024, GC.GetTotalMemory(false) / 1024.0 / 1024);
        }

        public override string ToString() => $"{Activations:N0} activations, RSS {RssMb:N0} MB, managed heap {HeapMb:N0} MB";
    }
}
