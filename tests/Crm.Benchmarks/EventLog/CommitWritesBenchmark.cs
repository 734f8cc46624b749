using System.Diagnostics;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.Storage;
using Crm.Grains.Storage;
using Crm.Server.Storage;

namespace Crm.Benchmarks.EventLog;

/// <summary>
/// The one writer's own work for an import: creation commits (snapshot, event, outbox entry, list row, status-pool row)
/// of realistic size written in transactions of 250 on one thread, as the group-commit writer does, on a fresh SQLite
/// database each round. Subject: the statements run natively (bound by index, text as UTF-16). Baseline: the same
/// statements through Microsoft.Data.Sqlite's prepared <c>SqliteCommand</c>s, what the writer did before. Same
/// database, durability (WAL, synchronous=NORMAL), warm-up and data; rounds alternate. Figures: the writing thread's CPU
/// per customer and customers per second.
/// </summary>
public sealed class CommitWritesBenchmark : IBenchmark
{
    public string Name => "commit-writes";

    public string Description => "the writer's creation commits on SQLite: native statements vs SqliteCommand, one thread [--customers 100000 --rounds 3]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 100_000);
        var rounds = options.Int("rounds", 3);
        Console.WriteLine($"commit-writes: {customers:N0} creation commits per round in transactions of {Batch}, {rounds} rounds each way, alternating; " +
                          $"{Environment.ProcessorCount} cores");
        var commits = Enumerable.Range(0, customers).Select(Commit).ToList();
        Console.WriteLine($"  per commit: snapshot {commits[0].Snapshot.Length} B, event {commits[0].Events[0].Json.Bytes.Length} B of UTF-8 (the command path decodes it to a string per execution), outbox {commits[0].Outbox!.Length} B");

        await RoundAsync(commits.Take(Batch * 20).ToList(), native: true); // warm-up, both ways
        await RoundAsync(commits.Take(Batch * 20).ToList(), native: false);
        var results = new Dictionary<bool, List<(double CpuUs, double PerSecond)>> { [true] = [], [false] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var native in new[] { round % 2 == 0, round % 2 != 0 })
            {
                var result = await RoundAsync(commits, native);
                results[native].Add(result);
                Console.WriteLine($"  round {round + 1}, {(native ? "native   " : "command  ")}: {result.CpuUs,6:N1} µs of the writer's CPU per customer, {result.PerSecond,9:N0} customers/s");
            }
        }

        var (subject, baseline) = (Median(results[true]), Median(results[false]));
        Console.WriteLine();
        Console.WriteLine($"{"writer",-28}{"CPU µs/customer",17}{"customers/s",14}");
        Console.WriteLine($"{"native statements",-28}{subject.CpuUs,17:N1}{subject.PerSecond,14:N0}");
        Console.WriteLine($"{"SqliteCommand (baseline)",-28}{baseline.CpuUs,17:N1}{baseline.PerSecond,14:N0}");
        Console.WriteLine($"ratio: {baseline.CpuUs / subject.CpuUs:N2}x less CPU per customer, {subject.PerSecond / baseline.PerSecond:N2}x customers/s (medians of {rounds})");
    }

    private const int Batch = 250;

    private static (double CpuUs, double PerSecond) Median(List<(double CpuUs, double PerSecond)> runs) =>
        (runs.Select(r => r.CpuUs).Order().ElementAt(runs.Count / 2), runs.Select(r => r.PerSecond).Order().ElementAt(runs.Count / 2));

    /// <summary>Writes the commits on a thread of its own (as the writer's), timing that thread's CPU.</summary>
    private static async Task<(double CpuUs, double PerSecond)> RoundAsync(List<CustomerCommit> commits, bool native)
    {
        await using var db = BenchDatabase.Sqlite(SqliteDurability.Normal);
        SchemaInstaller.Apply(db.Database, null);
        var result = (CpuUs: 0.0, PerSecond: 0.0);
        var thread = new Thread(() =>
        {
            PreparedStatements.NativeOnSqlite = native;
            var writes = new CustomerCommitWrites(new EventLogFaults());
            using var connection = db.Database.OpenWriter();
            using var statements = new PreparedStatements(connection);
            var clock = Stopwatch.StartNew();
            var cpu = ThreadCpu();
            foreach (var batch in commits.Chunk(Batch))
            {
                using var transaction = connection.BeginTransaction();
                writes.Execute(statements, transaction, batch);
                transaction.Commit();
            }

            result = ((ThreadCpu() - cpu).TotalMicroseconds / commits.Count, commits.Count / clock.Elapsed.TotalSeconds);
        });
        thread.Start();
        thread.Join();
        PreparedStatements.NativeOnSqlite = true;
        return result;
    }

    private static TimeSpan ThreadCpu()
    {
        // The calling thread's CPU time (user + system), from /proc: the writer's own, not the process's.
        var stat = File.ReadAllText($"/proc/self/task/{Gettid()}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of stat)
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "gettid")]
    private static extern int Gettid();

    /// <summary>
    /// A lead as an import creates it: Chinese and Latin names, a mobile, an e-mail, an address. The snapshot has the average
    /// size stored in a kept 20,000-row import (360 B), the event JSON a little less than there (411 against 488 characters);
    /// the outbox entry's size is an estimate (the import deletes its entries once delivered, so none was left to measure).
    /// </summary>
    private static CustomerCommit Commit(int i)
    {
        var id = $"{0x5a17c0de00000000L + i:x16}-0000-4000-8000-{i:x12}"[..36];
        var name = i % 2 == 0 ? $"王{(char)('伟' + i % 50)}{(char)('华' + i % 37)}" : $"Ivan Petrov {i}";
        var company = i % 2 == 0 ? $"杭州{(char)('东' + i % 90)}{(char)('海' + i % 70)}科技有限公司" : $"OOO Severnaya Zvezda {i % 9000}";
        var phone = $"+86 138{i % 100_000_000:00000000}";
        var now = 1_767_000_000_000L + i;
        var json = $$"""{"kind":"created","at":"2026-01-01T00:00:00+00:00","actorId":"importer","profile":{"name":"{{name}}","company":"{{company}}","phone":"{{phone}}","email":"lead{{i}}@example.cn","address":"浙江省杭州市西湖区文三路{{i % 900}}号","source":"import"},"traits":{"industry":"manufacturing","region":"zhejiang"},"poolId":"pool-1","orgUnitId":"unit-1","dedupKeys":["phone:8613800000000","email:lead@example.cn","brand:dongfang","core:dongfanghai"]}""";
        var row = new CustomerRow
        {
            Id = id, Name = name, Company = company, Phone = phone, Email = $"lead{i}@example.cn", Address = $"浙江省杭州市西湖区文三路{i % 900}号",
            Source = "import", Stage = "lead", PoolId = "pool-1", OrgUnitId = "unit-1", CreatedMs = now, UpdatedMs = now, Version = 1,
        };
        var snapshot = new byte[360];
        var outbox = new byte[410];
        Random.Shared.NextBytes(snapshot);
        Random.Shared.NextBytes(outbox);
        return new CustomerCommit(id, 0, 1, snapshot, now, [new EventRow(1, now, "created", "importer", json)], outbox, row, [], "unit-1");
    }
}
