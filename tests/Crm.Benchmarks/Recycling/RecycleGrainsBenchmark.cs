using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Crm.Benchmarks.Recycling;

/// <summary>
/// The recycle sweep as it runs (issue 22 item 3): a silo on the embedded profile (SQLite, group commit) whose R rep
/// grains own N customers, seeded in bulk (<see cref="OwnedSeed"/>), on a fake clock (<see cref="StepClock"/>) moved on
/// a minute at a time for D simulated days. Nothing calls a grain after the start: the rep grains' own timers (a look
/// at their deadlines every minute) and reminders find what is due, and each customer due recycles itself through its
/// grain with a durable commit. Every customer was followed up 0-10 days before the start (rules: recycle after 10
/// days without follow-up, warn 2 and 1 days before), so about a tenth fall due each day, spread over it.
/// Baseline with the same durability: the same customers in a table of deadlines (indexed) in a SQLite file (WAL,
/// synchronous=NORMAL), swept every simulated minute by one transaction that recycles what is due (the owner cleared
/// and a 'recycled' event row written) and marks the warnings due.
/// Prints process CPU seconds per simulated day (the process's CPU time over the days / days), recycles per day, RSS;
/// and the same silo with no reps stepped through one day, whose CPU is the silo's own timers and pollers on this clock
/// (they fire once per step instead of every few seconds), so the difference is what the sweep costs.
/// </summary>
public sealed class RecycleGrainsBenchmark : IBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The pool's rules, shared with <c>recycle-sweep</c> so the two benchmarks sweep the same deadlines.</summary>
    internal static readonly PoolRuleSet Rules = new()
    {
        RecycleAfterDaysWithoutFollowUp = 10,
        RecycleAfterDaysWithoutDeal = 90,
        WarnDaysBefore = [2, 1],
    };

    public string Name => "recycle-grains";

    public string Description => "Recycling by the real rep and customer grains on a fake clock, durable, vs a SQL sweep that commits the same recycles (CPU s per simulated day) [--customers 100000 --reps 1000 --days 2 --followed-up-days 10]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 100_000);
        var reps = options.Int("reps", 1_000);
        var days = options.Int("days", 2);
        // Follow-ups spread over the last N days: 10 makes about a tenth of the customers fall due each day; 7 or less
        // makes a day on which nothing falls due (deadlines 3+ days away, warnings 1+ day away): the sweep's bare cost.
        var followedUpDays = options.Int("followed-up-days", 10);
        var random = new Random(42);
        var owned = Enumerable.Range(0, customers).Select(i =>
        {
            var ownedAgo = TimeSpan.FromMinutes(random.Next(1, 60 * 24 * 60));
            var followedUpAgo = TimeSpan.FromMinutes(random.Next(0, (int)Math.Min(ownedAgo.TotalMinutes, followedUpDays * 24 * 60)));
            return new OwnedSeed.Owned(new Guid(i, 0, 0, new byte[8]), i % reps, Start - ownedAgo, Start - followedUpAgo);
        }).ToList();
        var expected = owned.Count(c => c.LastFollowUp!.Value.AddDays(10) <= Start.AddDays(days));
        Console.WriteLine($"recycle-grains: {customers:N0} owned customers, {reps:N0} reps, {days} simulated days a minute at a time, " +
                          $"follow-ups over the last {followedUpDays} days; " +
                          $"{expected:N0} fall due in that time; load average {Load()}");

        var grains = await RunGrainsAsync(owned, reps, days);
        var idle = await RunGrainsAsync([], 0, 1);
        var sql = await RunSqlAsync(owned, days);

        Console.WriteLine();
        Console.WriteLine($"{"",-44}{"CPU s/day",11}{"wall s/day",12}{"recycled/day",14}{"RSS MB",9}{"setup s",9}");
        Print("rep grains' timers, customer grains' commits", grains, days);
        Print("the same silo with no reps (its own timers)", idle, 1);
        Print("SQL sweep each minute, one transaction", sql, days);
        var sweep = grains.CpuSeconds / days - idle.CpuSeconds;
        var perRecycle = grains.Recycled > 0 ? $"{sweep * days / grains.Recycled * 1e6:N0} µs of it per recycled customer" : "nothing recycled";
        Console.WriteLine($"the sweep's own CPU (grains less the idle silo): {sweep:N2} s/day = {sweep / Math.Max(sql.CpuSeconds / days, 1e-6):N2}x the SQL sweep's; {perRecycle}; " +
                          $"recycled {grains.Recycled:N0} vs {sql.Recycled:N0} (expected {expected:N0}); load average {Load()}");
    }

    private static async Task<Figures> RunGrainsAsync(IReadOnlyList<OwnedSeed.Owned> owned, int reps, int days)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-recycle-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            // A loaded machine can keep a commit waiting past the server's 5 s; the benchmark measures CPU, not that.
            var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}", timeout: TimeSpan.FromSeconds(30));
            var clock = new StepClock(Start);
            await using var silo = await BenchSilo.StartAsync(database, services: clock.Register);
            var setup = Stopwatch.StartNew();
            if (owned.Count > 0)
            {
                await silo.Grains.GetGrain<IPoolGrain>("sweep-pool").Create("Sweep pool", "sweep-unit", Rules);
                await OwnedSeed.RunAsync(silo, "sweep-pool", "sweep-unit", reps, owned);
                await Latencies.RunAsync(Enumerable.Range(0, reps).ToList(), 200,
                    rep => silo.Grains.GetGrain<IRepGrain>(OwnedSeed.RepId(rep)).PrivatePoolVersion());
            }

            await QuiesceAsync();
            Console.WriteLine($"grains: seeded {owned.Count:N0} customers, {reps:N0} rep grains active in {setup.Elapsed.TotalSeconds:N0} s; RSS {Rss():N0} MB; load average {Load()}");

            var run = Measure.Begin();
            var peakRss = Rss();
            for (var day = 0; day < days; day++)
            {
                var dayStart = Measure.Begin();
                var fired = 0L;
                for (var minute = 0; minute < 24 * 60; minute++)
                {
                    fired += clock.Advance(TimeSpan.FromMinutes(1));
                    await QuiesceAsync();
                }

                peakRss = Math.Max(peakRss, Rss());
                Console.WriteLine($"  day {day + 1}: {dayStart.Cpu:N1} CPU s, {dayStart.Wall:N0} s wall, {fired:N0} timer ticks, " +
                                  $"{await RecycledAsync(database):N0} recycled so far, RSS {Rss():N0} MB, load average {Load()}");
            }

            var recycled = await RecycledAsync(database);
            var cpu = run.Cpu;
            var wall = run.Wall;
            // Not measured: ten more simulated minutes, to tell a customer still in flight at the end from one missed.
            for (var minute = 0; minute < 10; minute++)
            {
                clock.Advance(TimeSpan.FromMinutes(1));
                await QuiesceAsync();
            }

            var dueBy = owned.Count(c => c.LastFollowUp!.Value.AddDays(10) <= clock.GetUtcNow());
            Console.WriteLine($"  ten simulated minutes later: {await RecycledAsync(database):N0} recycled, {dueBy:N0} due by then");
            return new Figures(cpu, wall, recycled, peakRss, setup.Elapsed.TotalSeconds);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(directory);
        }
    }

    private static async Task<long> RecycledAsync(CrmDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_events WHERE kind = 'recycled'");
    }

    private static async Task<Figures> RunSqlAsync(IReadOnlyList<OwnedSeed.Owned> owned, int days)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-recycle-sql-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var setup = Stopwatch.StartNew();
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "sql.db")};Pooling=false");
            await connection.OpenAsync();
            await connection.ExecuteAsync("""
                PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
                CREATE TABLE owned (customer_id TEXT PRIMARY KEY, rep_id TEXT NULL, owned_since_ms INTEGER NOT NULL,
                    last_follow_up_ms INTEGER NULL, deadline_ms INTEGER NULL, warned INTEGER NOT NULL);
                CREATE TABLE events (position INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, at_ms INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
                """);
            await using (var tx = await connection.BeginTransactionAsync())
            {
                foreach (var c in owned)
                {
                    await connection.ExecuteAsync("INSERT INTO owned VALUES (@id, @rep, @since, @fu, @deadline, 0)",
                        new { id = c.Id.ToString(), rep = OwnedSeed.RepId(c.Rep), since = c.Since.ToUnixTimeMilliseconds(), fu = c.LastFollowUp?.ToUnixTimeMilliseconds(), deadline = Deadline(c).ToUnixTimeMilliseconds() }, tx);
                }

                await tx.CommitAsync();
            }

            await connection.ExecuteAsync("CREATE INDEX ix_owned_deadline ON owned(deadline_ms)");
            Console.WriteLine($"sql: seeded in {setup.Elapsed.TotalSeconds:N0} s; load average {Load()}");

            var run = Measure.Begin();
            var day = TimeSpan.FromDays(1).TotalMilliseconds;
            long recycled = 0;
            for (var minute = 1; minute <= days * 24 * 60; minute++)
            {
                var now = Start.AddMinutes(minute).ToUnixTimeMilliseconds();
                await using var tx = await connection.BeginTransactionAsync();
                var due = (await connection.QueryAsync<(string Id, string Rep)>(
                    "SELECT customer_id, rep_id FROM owned WHERE deadline_ms <= @now", new { now }, tx)).ToList();
                foreach (var (id, rep) in due)
                {
                    await connection.ExecuteAsync("UPDATE owned SET rep_id = NULL, deadline_ms = NULL, warned = 0 WHERE customer_id = @id", new { id }, tx);
                    await connection.ExecuteAsync("INSERT INTO events (customer_id, at_ms, kind, data) VALUES (@id, @now, 'recycled', @data)",
                        new { id, now, data = $$"""{"repId":"{{rep}}","rule":"no-follow-up","days":10}""" }, tx);
                }

                recycled += due.Count;
                await connection.ExecuteAsync("""
                    UPDATE owned SET warned = CASE WHEN deadline_ms <= @now + @day THEN 2 ELSE 1 END
                    WHERE deadline_ms > @now AND deadline_ms <= @now + 2 * @day AND warned < CASE WHEN deadline_ms <= @now + @day THEN 2 ELSE 1 END
                    """, new { now, day }, tx);
                await tx.CommitAsync();
            }

            return new Figures(run.Cpu, run.Wall, recycled, Rss(), setup.Elapsed.TotalSeconds);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(directory);
        }
    }

    private static DateTimeOffset Deadline(OwnedSeed.Owned c) =>
        new[] { (c.LastFollowUp ?? c.Since).AddDays(10), c.Since.AddDays(90) }.Min();

    /// <summary>Waits until the thread pool has had nothing to do for a few milliseconds (the ticks and what they started have run).</summary>
    private static async Task QuiesceAsync()
    {
        var last = ThreadPool.CompletedWorkItemCount;
        for (var quiet = 0; quiet < 3;)
        {
            await Task.Delay(2);
            var now = ThreadPool.CompletedWorkItemCount;
            quiet = now - last <= 3 && ThreadPool.PendingWorkItemCount == 0 ? quiet + 1 : 0;
            last = now;
        }
    }

    private static void Print(string what, Figures f, int days) =>
        Console.WriteLine($"{what,-44}{f.CpuSeconds / days,11:N2}{f.WallSeconds / days,12:N0}{f.Recycled / (double)days,14:N0}{f.RssMb,9:N0}{f.SetupSeconds,9:N0}");

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1024 / 1024;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record Figures(double CpuSeconds, double WallSeconds, long Recycled, long RssMb, double SetupSeconds);

    /// <summary>Process CPU time and wall time since <see cref="Begin"/>.</summary>
    private sealed class Measure
    {
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly Stopwatch _wall = Stopwatch.StartNew();

        public static Measure Begin() => new();

        public double Cpu => (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;

        public double Wall => _wall.Elapsed.TotalSeconds;
    }
}
