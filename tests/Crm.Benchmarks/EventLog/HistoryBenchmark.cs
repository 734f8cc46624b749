using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.Storage;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Grains.Pools;
using Crm.Grains.Storage;
using Dapper;
using Orleans.Core.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks.EventLog;

/// <summary>
/// What a follow-up costs as a customer's history grows, through the real grains on a silo in this process (embedded
/// SQLite, group-commit writer): the customer grain, which appends an event next to a small snapshot, against the old
/// design emulated in the same run (<see cref="LegacyHistoryGrain"/>: the history in the grain state, rewritten per
/// change through the same group-commit grain storage). Also: the writes and transactions of one follow-up and one
/// claim (1 in flight, so nothing else shares them), and the activation of a customer with a long history (time and
/// bytes read), old and new.
/// </summary>
public sealed class HistoryBenchmark : IBenchmark
{
    private const string PoolId = "bench-pool";

    private static readonly Actor Admin = new("bench-admin", UserRole.Admin, null);

    public string Name => "history";

    public string Description => "follow-up cost at 10/1,000/10,000 history entries: event log vs the old whole-state rewrite; writes per " +
                                 "follow-up and claim; activation time and bytes of a long history " +
                                 "[--sizes 10,1000,10000 --customers 4 --follow-ups 400 --activations 5 --claims 200]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var sizes = (options.String("sizes") ?? "10,1000,10000").Split(',').Select(int.Parse).ToArray();
        var perSize = options.Int("customers", 4);
        var followUps = options.Int("follow-ups", 400);
        var activations = options.Int("activations", 5);
        var claims = options.Int("claims", 200);
        Console.WriteLine($"history: sizes {string.Join(", ", sizes.Select(s => s.ToString("N0")))} entries, {perSize} customers per size, " +
                          $"{followUps} follow-ups per size and design at 1 in flight, SQLite WAL synchronous=NORMAL, {Environment.ProcessorCount} cores, " +
                          $"load average {LoadAverage()}");

        await using var target = BenchDatabase.Sqlite(SqliteDurability.Normal);
        await using var silo = await BenchSilo.StartAsync(target.Database);
        var writer = silo.Services.GetRequiredService<SqlBatchWriter>();
        var log = silo.Services.GetRequiredService<CustomerEventLog>();
        await silo.Grains.GetGrain<IPoolGrain>(PoolId).Create("Bench pool", "bench-unit", new PoolRuleSet());

        // Seed: per size, customers owned by a rep, with the history filled through the real follow-up path.
        var seedClock = Stopwatch.StartNew();
        var customers = new Dictionary<int, (Guid Id, string Rep)[]>();
        var legacy = new Dictionary<int, Guid[]>();
        var repNo = 0;
        foreach (var size in sizes)
        {
            customers[size] = Enumerable.Range(0, perSize).Select(_ => (Guid.NewGuid(), $"rep-{repNo++}")).ToArray();
            legacy[size] = Enumerable.Range(0, perSize).Select(_ => Guid.NewGuid()).ToArray();
        }

        await Task.WhenAll(customers.SelectMany(c => c.Value.Select(async x =>
        {
            var grain = silo.Grains.GetGrain<ICustomerGrain>(x.Id);
            Check(await grain.Create(new NewCustomer($"Lead {x.Id:N}", "Shanghai Acme Trading Co., Ltd.", "+86 138 0013 8000",
                "li.wei@acme.example", "91310000MA1FL0000X", "No. 1 Century Avenue, Pudong, Shanghai", "trade fair", PoolId), Admin));
            Check(await grain.Claim(Rep(x.Rep)));
            for (var n = 2; n < c.Key; n++) // created + claimed are the first two entries
            {
                Check(await grain.AddFollowUp(FollowUp($"seeded follow-up {n}"), Rep(x.Rep)));
            }
        })));
        foreach (var (size, ids) in legacy)
        {
            await Task.WhenAll(ids.Select(id => silo.Grains.GetGrain<ILegacyHistoryGrain>(id).Seed(size)));
        }

        Console.WriteLine($"seeded {customers.Values.Sum(c => c.Length) + legacy.Values.Sum(l => l.Length)} customers in {seedClock.Elapsed.TotalSeconds:N1} s");

        // 1. Follow-up cost per history size, both designs, 1 in flight.
        var rows = new List<CostRow>();
        foreach (var size in sizes)
        {
            var c = customers[size];
            var l = legacy[size];
            await Measure(100, i => Check(silo.Grains.GetGrain<ICustomerGrain>(c[i % c.Length].Id).AddFollowUp(FollowUp("warm-up"), Rep(c[i % c.Length].Rep))));
            await Measure(100, i => silo.Grains.GetGrain<ILegacyHistoryGrain>(l[i % l.Length]).FollowUp("legacy-rep", "warm-up"));
            var now = await Measure(followUps, i => Check(silo.Grains.GetGrain<ICustomerGrain>(c[i % c.Length].Id)
                .AddFollowUp(FollowUp($"measured follow-up {i}"), Rep(c[i % c.Length].Rep))));
            var old = await Measure(followUps, i => silo.Grains.GetGrain<ILegacyHistoryGrain>(l[i % l.Length]).FollowUp("legacy-rep", $"measured follow-up {i}"));
            rows.Add(new CostRow(size, now, old));
            Console.WriteLine($"  {size,6:N0} entries   event log: {now}   old state rewrite: {old}");
        }

        // 3. Writes per follow-up and per claim, 1 in flight: group-commit writes queued, transactions, rep-state writes.
        var followUpWrites = await CountWrites(silo, writer, target.Database, claims, async i =>
        {
            var (id, rep) = customers[sizes[0]][i % perSize];
            Check(await silo.Grains.GetGrain<ICustomerGrain>(id).AddFollowUp(FollowUp($"counted follow-up {i}"), Rep(rep)));
        });
        var leads = Enumerable.Range(0, claims).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in leads)
        {
            Check(await silo.Grains.GetGrain<ICustomerGrain>(id).Create(new NewCustomer($"Lead {id:N}", PoolId: PoolId), Admin));
        }

        var claimWrites = await CountWrites(silo, writer, target.Database, claims, async i =>
            Check(await silo.Grains.GetGrain<ICustomerGrain>(leads[i]).Claim(Rep($"claimer-{i % 20}"))));
        var legacyWrites = await CountWrites(silo, writer, target.Database, claims, i =>
            silo.Grains.GetGrain<ILegacyHistoryGrain>(legacy[sizes[0]][i % perSize]).FollowUp("legacy-rep", "counted"));

        // 4. Activation with the whole history: deactivate, then time the first call (it loads the state).
        var activationRows = new List<ActivationRow>();
        foreach (var size in sizes)
        {
            var now = new Latencies();
            var old = new Latencies();
            var load = new Latencies();
            var bytesNow = 0;
            foreach (var (id, _) in customers[size])
            {
                var (_, bytes) = await log.LoadAsync(id);
                bytesNow = Math.Max(bytesNow, bytes);
            }

            var bytesOld = 0;
            foreach (var id in legacy[size])
            {
                bytesOld = Math.Max(bytesOld, await silo.Grains.GetGrain<ILegacyHistoryGrain>(id).StateBytes());
            }

            for (var round = 0; round < activations; round++)
            {
                foreach (var (id, _) in customers[size])
                {
                    var grain = silo.Grains.GetGrain<ICustomerGrain>(id);
                    await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
                    await Task.Delay(30);
                    var started = Stopwatch.GetTimestamp();
                    _ = await grain.Get() ?? throw new InvalidOperationException("customer lost");
                    now.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    started = Stopwatch.GetTimestamp();
                    await log.LoadAsync(id);
                    load.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                foreach (var id in legacy[size])
                {
                    var grain = silo.Grains.GetGrain<ILegacyHistoryGrain>(id);
                    await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
                    await Task.Delay(30);
                    var started = Stopwatch.GetTimestamp();
                    await grain.Count();
                    old.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            activationRows.Add(new ActivationRow(size, now, load, bytesNow, old, bytesOld));
        }

        Print(rows, followUpWrites, claimWrites, legacyWrites, activationRows);
        await using var check = await target.Database.OpenAsync();
        var events = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_events WHERE kind = 'follow-up'");
        Console.WriteLine($"customer_events holds {events:N0} follow-ups; load average at the end {LoadAverage()}");
    }

    private static Actor Rep(string id) => new(id, UserRole.Rep, "bench-unit");

    private static NewFollowUp FollowUp(string text) => new(FollowUpType.Call, "reached", text);

    private static void Check<T>(Result<T> result)
    {
        if (!result.Ok)
        {
            throw new InvalidOperationException($"{result.Error!.Code}: {result.Error.Message}");
        }
    }

    private static async Task Check<T>(Task<Result<T>> call) => Check(await call);

    /// <summary>Runs <paramref name="count"/> calls one after another; latencies and this process's CPU per call.</summary>
    private static async Task<Cost> Measure(int count, Func<int, Task> call)
    {
        var latencies = new Latencies();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        latencies.Start();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(i);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Stop();
        return new Cost(latencies, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count,
            (GC.GetTotalAllocatedBytes() - allocated) / count);
    }

    private static async Task<Writes> CountWrites(BenchSilo silo, SqlBatchWriter writer, CrmDatabase database, int count, Func<int, Task> call)
    {
        await Task.Delay(200);
        var (commits, writes, repWrites) = (writer.Commits, writer.CommittedWrites, await RepWrites(database));
        for (var i = 0; i < count; i++)
        {
            await call(i);
        }

        // Outbox deletes are queued after the caller is answered; let them land.
        await Task.Delay(300);
        return new Writes((double)(writer.Commits - commits) / count, (double)(writer.CommittedWrites - writes) / count,
            (double)(await RepWrites(database) - repWrites) / count);
    }

    /// <summary>Rep-state writes so far: each write raises its row's version by one.</summary>
    private static async Task<long> RepWrites(CrmDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(Version), 0) FROM OrleansStorage WHERE GrainTypeString IN ('rep', 'bench-legacy-rep')");
    }

    private static void Print(List<CostRow> rows, Writes followUp, Writes claim, Writes legacy, List<ActivationRow> activations)
    {
        var first = rows[0];
        Console.WriteLine();
        Console.WriteLine("1. Follow-up cost by history size, 1 in flight (old = the history in the grain state, rewritten per change through the same group-commit storage)");
        Console.WriteLine($"{"entries",8} | {"event log p50",13}{"p99",8}{"CPU µs",8}{"B alloc",10}{"x 10",7} | {"old p50",8}{"p99",8}{"CPU µs",9}{"B alloc",11}{"x 10",7} | {"old/new p50",11}");
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Size,8:N0} | {r.Now.P50,13:N3}{r.Now.P99,8:N3}{r.Now.CpuMicros,8:N0}{r.Now.Allocated,10:N0}{r.Now.P50 / first.Now.P50,6:N2}x | " +
                              $"{r.Old.P50,8:N3}{r.Old.P99,8:N3}{r.Old.CpuMicros,9:N0}{r.Old.Allocated,11:N0}{r.Old.P50 / first.Old.P50,6:N1}x | {r.Old.P50 / r.Now.P50,10:N1}x");
        }

        var last = rows[^1];
        var ratio = last.Now.P50 / first.Now.P50;
        Console.WriteLine($"event log: a follow-up at {last.Size:N0} entries costs {ratio:N2}x the one at {first.Size:N0} (p50; target <= 1.2x: {(ratio <= 1.2 ? "met" : "NOT met")}); " +
                          $"the old design {last.Old.P50 / first.Old.P50:N1}x");
        Console.WriteLine();
        Console.WriteLine("3. Writes per operation, 1 in flight (group-commit writes queued; transactions; rep-state writes)");
        Console.WriteLine($"  follow-up, event log: {followUp}");
        Console.WriteLine($"  claim, event log:     {claim}");
        Console.WriteLine($"  follow-up, old emulation (state + read model + rep write): {legacy}");
        Console.WriteLine("  old code (cdecf5f), counted from the code: follow-up = state write + read-model upsert (2 statements) + rep Track write = " +
                          "3 writes in 3 sequential transactions, 4 statements; claim = rep TryTake write + state write + read-model upsert (2) + rep Track write = " +
                          "4 writes in 4 sequential transactions, 5 statements");
        Console.WriteLine();
        Console.WriteLine("4. Activation of a customer (first call after a deactivation) and bytes read");
        Console.WriteLine($"{"entries",8} | {"event log p50 ms",16}{"p99",8}{"load p50",10}{"bytes",9} | {"old p50 ms",10}{"p99",9}{"bytes",11} | {"old/new",8}");
        foreach (var a in activations)
        {
            Console.WriteLine($"{a.Size,8:N0} | {a.Now.Percentile(50),16:N3}{a.Now.Percentile(99),8:N3}{a.Load.Percentile(50),10:N3}{a.BytesNow,9:N0} | " +
                              $"{a.Old.Percentile(50),10:N3}{a.Old.Percentile(99),9:N3}{a.BytesOld,11:N0} | {a.Old.Percentile(50) / a.Now.Percentile(50),7:N1}x");
        }
    }

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed record Cost(Latencies Latencies, double CpuMicros, long Allocated)
    {
        public double P50 => Latencies.Percentile(50);

        public double P99 => Latencies.Percentile(99);

        public override string ToString() => $"p50 {P50:N3} ms p99 {P99:N3} ms, {CpuMicros:N0} µs CPU, {Allocated:N0} B allocated";
    }

    private sealed record CostRow(int Size, Cost Now, Cost Old);

    private sealed record Writes(double Commits, double QueuedWrites, double RepWrites)
    {
        public override string ToString() => $"{QueuedWrites:N2} writes, {Commits:N2} transactions, {RepWrites:N2} rep-state writes per operation";
    }

    private sealed record ActivationRow(int Size, Latencies Now, Latencies Load, int BytesNow, Latencies Old, int BytesOld);
}
