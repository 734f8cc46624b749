using System.Collections.Concurrent;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks.ClaimStorm;

/// <summary>
/// The morning claim rush on the embedded profile: create N leads in a public pool, then R reps claim
/// random leads at once (bounded in flight; many race for the same lead). Prints throughput, p50/p99 and
/// the number of double owners (must be 0); the baseline is the same operations as plain SQL transactions
/// on the same SQLite file.
/// </summary>
public sealed class ClaimStormBenchmark : IBenchmark
{
    public string Name => "claim-storm";

    public string Description => "create leads, then 1,000 reps claim at once; vs plain SQL transactions [--customers 100000 --reps 1000 --claims 20000 --in-flight 200 --warmup 2000 --grain-storage GroupCommit|AdoNet]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 100_000);
        var reps = options.Int("reps", 1_000);
        var claims = options.Int("claims", 20_000);
        var inFlight = options.Int("in-flight", 200);
        var warmupCount = options.Int("warmup", 2_000);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}");
        Console.WriteLine($"claim-storm: {customers:N0} leads, {reps:N0} reps, {claims:N0} claims, {inFlight} in flight, SQLite file {directory}");

        var random = new Random(42);
        var ids = Enumerable.Range(0, customers).Select(_ => Guid.NewGuid()).ToArray();
        var claimPlan = Enumerable.Range(0, claims)
            .Select(i => (Rep: $"rep-{random.Next(reps)}", Customer: ids[random.Next(Math.Min(customers, claims / 2))]))
            .ToArray();

        // Every subject first runs the same operations on leads and reps of its own (the same warm-up for each), so that
        // none is measured while compiling its code and the first grain subject pays no more than the second.
        var warmRandom = new Random(7);
        var warmIds = Enumerable.Range(0, warmupCount).Select(_ => Guid.NewGuid()).ToArray();
        var warmPlan = Enumerable.Range(0, warmupCount)
            .Select(i => (Rep: $"warm-rep-{warmRandom.Next(reps)}", Customer: warmIds[warmRandom.Next(Math.Max(1, warmupCount / 2))]))
            .ToArray();
        var warmup = new Plan(warmIds, warmPlan);
        var measured = new Plan(ids, claimPlan);
        Console.WriteLine($"warm-up for each subject: {warmIds.Length:N0} creates and {warmPlan.Length:N0} claims by other reps");

        var (sCreate, sClaim, sWins, sDoubles) = await RunSqlAsync(database, warmup, measured, inFlight);

        // Each grain run gets its own file so that neither inherits the other's rows or WAL.
        var kinds = (options.String("grain-storage") is { } only ? [Enum.Parse<GrainStorageKind>(only, ignoreCase: true)]
            : new[] { GrainStorageKind.GroupCommit, GrainStorageKind.AdoNet });
        var grainRuns = new List<(GrainStorageKind Kind, Latencies Create, Latencies Claim, int Wins, int Doubles)>();
        foreach (var kind in kinds)
        {
            var file = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, $"crm-{kind}.db")}");
            var (create, claim, wins, doubles) = await RunGrainsAsync(file, kind, warmup, measured, inFlight);
            grainRuns.Add((kind, create, claim, wins, doubles));
        }


        Console.WriteLine();
        Console.WriteLine("baseline: plain SQL transactions on a SQLite file (WAL, synchronous=NORMAL)");
        Console.WriteLine($"  create  {sCreate}");
        Console.WriteLine($"  claim   {sClaim}   won {sWins:N0}, double owners {sDoubles}");
        foreach (var run in grainRuns)
        {
            // The same durability as the baseline: every acknowledged write committed in WAL mode with synchronous=NORMAL.
            Console.WriteLine($"grains, {run.Kind} grain storage (SQLite file, WAL, synchronous={(database.Durability == SqliteDurability.Full ? "FULL" : "NORMAL")})");
            Console.WriteLine($"  create  {run.Create}");
            Console.WriteLine($"  claim   {run.Claim}   won {run.Wins:N0}, double owners {run.Doubles}");
            Console.WriteLine($"  ratio to SQL: create {run.Create.PerSecond / sCreate.PerSecond:N2}x throughput, claim {run.Claim.PerSecond / sClaim.PerSecond:N2}x throughput, " +
                              $"claim p99 {run.Claim.Percentile(99) / Math.Max(sClaim.Percentile(99), 0.001):N2}x");
        }

        var allDoubles = sDoubles + grainRuns.Sum(r => r.Doubles);
        Console.WriteLine(allDoubles == 0 ? "double owners: 0 (ok)" : $"DOUBLE OWNERS FOUND: {allDoubles}");
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(Latencies Create, Latencies Claim, int Wins, int Doubles)> RunGrainsAsync(
        CrmDatabase database, GrainStorageKind kind, Plan warmup, Plan measured, int inFlight)
    {
        Console.WriteLine($"grains on {kind} grain storage ...");
        await using var silo = await BenchSilo.StartAsync(database, kind);
        var poolId = "bench-pool";
        await silo.Grains.GetGrain<IPoolGrain>(poolId).Create("Bench pool", "bench-unit", new PoolRuleSet());
        var creator = new Actor("bench-admin", UserRole.Admin, null);
        var writer = silo.Services.GetRequiredService<SqlBatchWriter>();
        var winners = new ConcurrentDictionary<Guid, ConcurrentBag<string>>();

        async Task Create(Guid id)
        {
            var result = await silo.Grains.GetGrain<ICustomerGrain>(id)
                .Create(new NewCustomer($"Lead {id:N}", "Bench Co., Ltd.", "13800000000", PoolId: poolId), creator);
            if (!result.Ok)
            {
                throw new InvalidOperationException(result.Error!.Message);
            }
        }

        async Task Claim((string Rep, Guid Customer) step, bool count)
        {
            var result = await silo.Grains.GetGrain<ICustomerGrain>(step.Customer).Claim(new Actor(step.Rep, UserRole.Rep, "bench-unit"));
            if (result.Ok && result.Value!.OwnerId == step.Rep)
            {
                if (count)
                {
                    winners.GetOrAdd(step.Customer, _ => []).Add(step.Rep);
                }
            }
            else if (!result.Ok && result.Error!.Code != "already-owned")
            {
                throw new InvalidOperationException(result.Error.Message);
            }
        }

        await Latencies.RunAsync(warmup.Ids, inFlight, Create);
        await Latencies.RunAsync(warmup.Claims, inFlight, step => Claim(step, count: false));

        var createLoad = WriterLoad.Start(writer);
        var create = await Latencies.RunAsync(measured.Ids, inFlight, Create);
        Console.WriteLine($"  create: {createLoad.Stop(measured.Ids.Length, "create")}");

        var claimLoad = WriterLoad.Start(writer);
        var claim = await Latencies.RunAsync(measured.Claims, inFlight, step => Claim(step, count: true));
        Console.WriteLine($"  claim:  {claimLoad.Stop(measured.Claims.Length, "claim")}");
        await using (var connection = await database.OpenAsync())
        {
            // Each reminder row's version counts its writes: the reps' recycle reminders should be written about once each.
            var (rows, writes) = await connection.QuerySingleAsync<(long, long)>("SELECT COUNT(*), COALESCE(SUM(Version), 0) FROM OrleansRemindersTable");
            Console.WriteLine($"  reminders: {rows:N0} rows written {writes:N0} times");
        }

        // Double owners: a customer won by two different reps, or held by two private pools, or a private
        // pool that disagrees with the customer grain.
        var doubles = winners.Count(w => w.Value.Distinct().Count() > 1);
        var held = new Dictionary<Guid, string>();
        foreach (var rep in measured.Claims.Select(p => p.Rep).Distinct())
        {
            foreach (var owned in await silo.Grains.GetGrain<IRepGrain>(rep).GetOwned())
            {
                if (!held.TryAdd(owned.CustomerId, rep))
                {
                    doubles++;
                }
            }
        }

        foreach (var (customer, reps) in winners)
        {
            if (!held.TryGetValue(customer, out var holder) || !reps.Contains(holder))
            {
                doubles++;
            }
        }

        return (create, claim, winners.Count, doubles);
    }

    private static async Task<(Latencies Create, Latencies Claim, int Wins, int Doubles)> RunSqlAsync(
        CrmDatabase database, Plan warmup, Plan measured, int inFlight)
    {
        await using (var setup = await database.OpenAsync())
        {
            await setup.ExecuteAsync("""
                CREATE TABLE IF NOT EXISTS bench_customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, pool_id TEXT NOT NULL,
                    owner_id TEXT NULL, timeline TEXT NOT NULL, version INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS bench_owned (rep_id TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (rep_id, customer_id));
                """);
        }

        // One connection per operation from the pool, one transaction per operation: what a plain
        // CRUD service would do. SQLite lets one writer in at a time, and Microsoft.Data.Sqlite's "async" calls
        // complete synchronously: left to SQLite's busy retries, the callers would each hold a pool thread while
        // they wait (only a few run at once) and time out with "database is locked" under 200 in flight. So the
        // service queues its writers in process, as a competent one on SQLite does: every caller is in flight,
        // waiting without a thread, and one transaction runs at a time.
        using var writer = new SemaphoreSlim(1);
        var wins = 0;
        async Task Create(Guid id)
        {
            await writer.WaitAsync();
            using var queued = new Queued(writer);
            await using var connection = await database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(
                "INSERT INTO bench_customers (id, name, pool_id, owner_id, timeline, version) VALUES (@id, @name, 'bench-pool', NULL, @timeline, 1)",
                new { id = id.ToString(), name = $"Lead {id:N}", timeline = "[{\"kind\":\"created\"}]" }, transaction);
            await transaction.CommitAsync();
        }

        async Task Claim((string Rep, Guid Customer) step, bool count)
        {
            await writer.WaitAsync();
            using var queued = new Queued(writer);
            await using var connection = await database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var changed = await connection.ExecuteAsync(
                "UPDATE bench_customers SET owner_id = @rep, version = version + 1, timeline = timeline || ',{\"kind\":\"claimed\"}' WHERE id = @id AND owner_id IS NULL",
                new { rep = step.Rep, id = step.Customer.ToString() }, transaction);
            if (changed == 1)
            {
                await connection.ExecuteAsync("INSERT INTO bench_owned (rep_id, customer_id) VALUES (@rep, @id)",
                    new { rep = step.Rep, id = step.Customer.ToString() }, transaction);
                if (count)
                {
                    Interlocked.Increment(ref wins);
                }
            }

            await transaction.CommitAsync();
        }

        await Latencies.RunAsync(warmup.Ids, inFlight, Create);
        await Latencies.RunAsync(warmup.Claims, inFlight, step => Claim(step, count: false));
        var create = await Latencies.RunAsync(measured.Ids, inFlight, Create);
        var claim = await Latencies.RunAsync(measured.Claims, inFlight, step => Claim(step, count: true));

        await using var check = await database.OpenAsync();
        var doubles = await check.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM (SELECT customer_id FROM bench_owned GROUP BY customer_id HAVING COUNT(*) > 1)");
        return (create, claim, wins, doubles);
    }
}

/// <summary>The leads to create and the claims to make, in order.</summary>
internal sealed record Plan(Guid[] Ids, (string Rep, Guid Customer)[] Claims);

/// <summary>What the group-commit writer and the process did over a phase: writes per operation, writes per commit, busy share.</summary>
internal sealed class WriterLoad
{
    private readonly SqlBatchWriter _writer;
    private readonly long _commits;
    private readonly long _writes;
    private readonly TimeSpan _busy;
    private readonly TimeSpan _cpu;
    private readonly System.Diagnostics.Stopwatch _wall = System.Diagnostics.Stopwatch.StartNew();

    private WriterLoad(SqlBatchWriter writer)
    {
        _writer = writer;
        (_commits, _writes, _busy) = (writer.Commits, writer.CommittedWrites, writer.BusyTime);
        _cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
    }

    public static WriterLoad Start(SqlBatchWriter writer) => new(writer);

    public string Stop(int operations, string operation)
    {
        var (commits, writes) = (_writer.Commits - _commits, _writer.CommittedWrites - _writes);
        var busy = (_writer.BusyTime - _busy).TotalSeconds / _wall.Elapsed.TotalSeconds;
        var cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalMilliseconds * 1000 / operations;
        return $"writer {(double)writes / operations:N2} writes per {operation}, {(double)writes / Math.Max(1, commits):N1} writes per commit, " +
               $"busy {busy:P0} of {_wall.Elapsed.TotalSeconds:N1} s; process CPU {cpu:N0} µs per {operation}";
    }
}

/// <summary>A place in the in-process writer queue, given back when disposed.</summary>
internal readonly struct Queued(SemaphoreSlim writer) : IDisposable
{
    public void Dispose() => writer.Release();
}
