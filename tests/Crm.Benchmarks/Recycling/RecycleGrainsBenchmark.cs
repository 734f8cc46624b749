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
/// a minute at a time for D simulated days. Nothing calls a grain after the start: the rep grains' own timers and
/// reminders find what is due, and each customer due recycles itself through its grain with a durable commit. Every
/// customer was followed up 0 to F days before the start (rules: recycle after 10 days without follow-up, warn 2 and 1
/// days before): F = 10 makes about a tenth fall due each day, F = 3 makes days 1-4 days on which nothing falls due.
/// Baseline with the same durability: <see cref="RecycleSqlBaseline"/>.
/// Prints process CPU seconds per simulated day, for each day and their median and spread, recycles per day, RSS; and
/// the same silo with no reps stepped through as many days, whose CPU is the silo's own timers and pollers on this clock
/// (they fire once per step instead of every few seconds), so the difference of the medians is what the sweep costs.
/// It also counts the reminder service's reads of the reminder table and the CPU of the simulated minutes that read it.
/// </summary>
public sealed class RecycleGrainsBenchmark : IBenchmark
{
    internal static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The pool's rules, shared with <c>recycle-sweep</c> so the two benchmarks sweep the same deadlines.</summary>
    internal static readonly PoolRuleSet Rules = new()
    {
        RecycleAfterDaysWithoutFollowUp = 10,
        RecycleAfterDaysWithoutDeal = 90,
        WarnDaysBefore = [2, 1],
    };

    public string Name => "recycle-grains";

    public string Description => "Recycling by the real rep and customer grains on a fake clock, durable, vs a SQL sweep that commits the same recycles (CPU s per simulated day, median of the days) [--customers 100000 --reps 1000 --warm-up-days 1 --days 2 --followed-up-days 10 --reminder-refresh-minutes <server default>]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 100_000);
        var reps = options.Int("reps", 1_000);
        var days = options.Int("days", 2);
        // Follow-ups spread over the last N days: 10 makes about a tenth of the customers fall due each day; 3 makes
        // days 1-4 days on which nothing falls due (deadlines 7+ days away, warnings 5+ days away): the sweep's bare cost.
        var followedUpDays = options.Int("followed-up-days", 10);
        var refresh = options.Int("reminder-refresh-minutes", 0); // 0: the server's default
        // Days each silo runs before the measured ones (same for both): first calls and tiering up cost for days.
        var warmUpDays = options.Int("warm-up-days", 1);
        var random = new Random(42);
        var owned = Enumerable.Range(0, customers).Select(i =>
        {
            var ownedAgo = TimeSpan.FromMinutes(random.Next(1, 60 * 24 * 60));
            var followedUpAgo = TimeSpan.FromMinutes(random.Next(0, (int)Math.Min(ownedAgo.TotalMinutes, followedUpDays * 24 * 60)));
            return new OwnedSeed.Owned(new Guid(i, 0, 0, new byte[8]), i % reps, Start - ownedAgo, Start - followedUpAgo);
        }).ToList();
        var expected = owned.Count(c => DueAt(c) is var due && due > Start.AddDays(warmUpDays) && due <= Start.AddDays(warmUpDays + days));
        Console.WriteLine($"recycle-grains: {customers:N0} owned customers, {reps:N0} reps, {warmUpDays} warm-up + {days} measured simulated days a minute at a time, " +
                          $"follow-ups over the last {followedUpDays} days; reminder table read every " +
                          $"{(refresh > 0 ? refresh : new Crm.Server.Storage.CrmClusterOptions().ReminderRefreshMinutes)} simulated minutes; " +
                          $"{expected:N0} fall due in that time; load average {Load()}");

        var grains = await RunGrainsAsync(owned, reps, warmUpDays, days, refresh);
        var idle = await RunGrainsAsync([], 0, warmUpDays, days, refresh);
        var sql = await RecycleSqlBaseline.RunAsync(owned, warmUpDays, days);

        Console.WriteLine();
        Console.WriteLine($"{"",-44}{"CPU s/day",11}{"min-max",14}{"wall s/day",12}{"recycled/day",14}{"RSS MB",9}{"setup s",9}");
        Print("rep grains' timers, customer grains' commits", grains, days);
        Print("the same silo with no reps (its own timers)", idle, days);
        Print("SQL sweep each minute, one transaction", sql, days);
        var sweep = Median(grains.DayCpu) - Median(idle.DayCpu);
        var perRecycle = grains.Recycled > 0 ? $"{sweep * days / grains.Recycled * 1e6:N0} µs of it per recycled customer" : "nothing recycled";
        Console.WriteLine($"the sweep's own CPU (median day of the grains less median day of the idle silo): {sweep:N2} s/day " +
                          $"(any day less any idle day: {grains.DayCpu.Min() - idle.DayCpu.Max():N2} to {grains.DayCpu.Max() - idle.DayCpu.Min():N2}) " +
                          $"= {sweep / Math.Max(sql.CpuSeconds / days, 1e-6):N2}x the SQL sweep's {sql.CpuSeconds / days:N2}; {perRecycle}; " +
                          $"recycled {grains.Recycled:N0} vs {sql.Recycled:N0} (expected {expected:N0}); load average {Load()}");
        foreach (var (what, f) in new[] { ("grains", grains), ("idle silo", idle) })
        {
            var r = f.Reads!;
            Console.WriteLine($"reminder table reads ({what}): {r.Reads:N0} in {days} days, {r.Rows / Math.Max(r.Reads, 1):N0} rows each; " +
                              $"a simulated minute with a read {r.WithReadMs:N1} ms CPU (median of {r.StepsWithRead}), without {r.WithoutMs:N2} ms: " +
                              $"about {(r.WithReadMs - r.WithoutMs) * r.StepsWithRead / days / 1000:N2} CPU s/day for the reads");
        }
    }

    private static async Task<Figures> RunGrainsAsync(IReadOnlyList<OwnedSeed.Owned> owned, int reps, int warmUpDays, int days, int refresh)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-recycle-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            // A loaded machine can keep a commit waiting past the server's 5 s; the benchmark measures CPU, not that.
            var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}", timeout: TimeSpan.FromSeconds(30));
            var clock = new StepClock(Start);
            var reads = new ReminderReads();
            await using var silo = await BenchSilo.StartAsync(database, services: clock.Register, afterSilo: reads.Wrap,
                clusterOptions: o => o.ReminderRefreshMinutes = refresh > 0 ? refresh : o.ReminderRefreshMinutes);
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

            var peakRss = Rss();
            var dayCpu = new List<double>();
            List<double> withRead = [], without = [];
            Measure run = null!;
            long readsBefore = 0, rowsBefore = 0, recycledBefore = 0;
            for (var day = -warmUpDays; day < days; day++)
            {
                if (day == 0)
                {
                    // The measured days start here: what the warm-up days cost (first calls, tiering up) is not in them.
                    (run, readsBefore, rowsBefore, recycledBefore) = (Measure.Begin(), reads.Reads, reads.Rows, await RecycledAsync(database));
                }

                var dayStart = Measure.Begin();
                var (jit, gcPause, gen2) = (System.Runtime.JitInfo.GetCompilationTime(), GC.GetTotalPauseDuration(), GC.CollectionCount(2));
                var fired = 0L;
                var (busiest, busiestTicks) = (0.0, 0);
                for (var minute = 0; minute < 24 * 60; minute++)
                {
                    var stepCpu = Environment.CpuUsage.TotalTime;
                    var stepReads = reads.Reads;
                    var ticks = clock.Advance(TimeSpan.FromMinutes(1));
                    fired += ticks;
                    await QuiesceAsync();
                    var ms = (Environment.CpuUsage.TotalTime - stepCpu).TotalMilliseconds;
                    (busiest, busiestTicks) = ms > busiest ? (ms, ticks) : (busiest, busiestTicks);
                    if (day >= 0)
                    {
                        (reads.Reads > stepReads ? withRead : without).Add(ms);
                    }
                }

                if (day >= 0)
                {
                    dayCpu.Add(dayStart.Cpu);
                }

                peakRss = Math.Max(peakRss, Rss());
                // What of the day is the runtime's: methods compiled (tiering up) and garbage collections.
                Console.WriteLine($"  {(day < 0 ? "warm-up day" : $"day {day + 1}")}: {dayStart.Cpu:N2} CPU s " +
                                  $"(JIT {(System.Runtime.JitInfo.GetCompilationTime() - jit).TotalSeconds:N2} s, " +
                                  $"GC pauses {(GC.GetTotalPauseDuration() - gcPause).TotalSeconds:N2} s, {GC.CollectionCount(2) - gen2} gen2; " +
                                  $"busiest minute {busiest:N0} ms, {busiestTicks:N0} ticks), {dayStart.Wall:N0} s wall, {fired:N0} timer ticks, " +
                                  $"{await RecycledAsync(database):N0} recycled so far, RSS {Rss():N0} MB, load average {Load()}");
            }

            var recycled = await RecycledAsync(database) - recycledBefore;
            var cpu = run.Cpu;
            var wall = run.Wall;
            var readFigures = new ReadFigures(reads.Reads - readsBefore, reads.Rows - rowsBefore, withRead.Count,
                withRead.Count > 0 ? Median(withRead) : 0, without.Count > 0 ? Median(without) : 0);
            // RSS holds garbage not collected yet (server GC, no full collection in a quiet day): what is live after one.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Console.WriteLine($"  peak RSS {peakRss:N0} MB; after a full collection: heap {GC.GetTotalMemory(false) / 1024 / 1024:N0} MB, RSS {Rss():N0} MB");
            // Not measured: ten more simulated minutes, to tell a customer still in flight at the end from one missed.
            await AdvanceMinutesAsync(clock, 10);

            var dueBy = owned.Count(c => DueAt(c) <= clock.GetUtcNow());
            Console.WriteLine($"  ten simulated minutes later: {await RecycledAsync(database):N0} recycled, {dueBy:N0} due by then");
            // Late or lost: with the clock still, a recycle in flight (a grain call or a write queued) lands within seconds;
            // one that a reminder or timer missed never does.
            var waited = Stopwatch.StartNew();
            var late = await RecycledAsync(database);
            while (late < dueBy && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                late = await RecycledAsync(database);
            }

            Console.WriteLine($"  after up to 60 s more of wall time, clock still: {late:N0} recycled of {dueBy:N0} due ({waited.Elapsed.TotalSeconds:N0} s)");
            var missedAt = clock.GetUtcNow();
            await PrintMissedAsync(database, owned, missedAt);
            // A missed one that falls due in the last simulated minutes may only be waiting for its rep's next look.
            await AdvanceMinutesAsync(clock, 10);

            Console.WriteLine($"  ten simulated minutes more: of those due by then, {(await MissedAsync(database, owned, missedAt)).Count:N0} still not recycled");
            return new Figures(cpu, wall, recycled, peakRss, setup.Elapsed.TotalSeconds, dayCpu, readFigures);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(directory);
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>When an owned customer falls due: its last follow-up plus the pool's days without one.</summary>
    private static DateTimeOffset DueAt(OwnedSeed.Owned c) => c.LastFollowUp!.Value.AddDays(Rules.RecycleAfterDaysWithoutFollowUp!.Value);

    /// <summary>Moves the clock a minute at a time, each step until what its ticks started has run.</summary>
    private static async Task AdvanceMinutesAsync(StepClock clock, int minutes)
    {
        for (var minute = 0; minute < minutes; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await QuiesceAsync();
        }
    }

    /// <summary>The customers due by <paramref name="now"/> that were not recycled: when each fell due, and its rep.</summary>
    private static async Task PrintMissedAsync(CrmDatabase database, IReadOnlyList<OwnedSeed.Owned> owned, DateTimeOffset now)
    {
        foreach (var c in (await MissedAsync(database, owned, now)).Take(20))
        {
            Console.WriteLine($"    missed: {c.Id} rep {c.Rep}, due {(DueAt(c) - Start).TotalHours:N2} h after the start, owned since {(c.Since - Start).TotalHours:N2} h, followed up {(c.LastFollowUp!.Value - Start).TotalHours:N2} h");
        }
    }

    private static async Task<List<OwnedSeed.Owned>> MissedAsync(CrmDatabase database, IReadOnlyList<OwnedSeed.Owned> owned, DateTimeOffset dueBy)
    {
        await using var connection = await database.OpenAsync();
        var recycled = (await connection.QueryAsync<string>("SELECT customer_id FROM customer_events WHERE kind = 'recycled'"))
            .Select(Guid.Parse).ToHashSet();
        return owned.Where(c => DueAt(c) <= dueBy && !recycled.Contains(c.Id)).ToList();
    }

    private static async Task<long> RecycledAsync(CrmDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_events WHERE kind = 'recycled'");
    }

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

    private static void Print(string what, Figures f, int days)
    {
        var (cpu, spread) = f.DayCpu.Count > 0
            ? (Median(f.DayCpu), $"{f.DayCpu.Min():N2}-{f.DayCpu.Max():N2}")
            : (f.CpuSeconds / days, "");
        Console.WriteLine($"{what,-44}{cpu,11:N2}{spread,14}{f.WallSeconds / days,12:N0}{f.Recycled / (double)days,14:N0}{f.RssMb,9:N0}{f.SetupSeconds,9:N0}");
    }

    internal static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1024 / 1024;
    }

    internal static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A subject's figures; <paramref name="DayCpu"/> is each measured simulated day's process CPU.</summary>
    internal sealed record Figures(double CpuSeconds, double WallSeconds, long Recycled, long RssMb, double SetupSeconds,
        IReadOnlyList<double> DayCpu, ReadFigures? Reads = null);

    /// <summary>The reminder table's reads over the measured days and the median CPU of a simulated minute with and without one.</summary>
    internal sealed record ReadFigures(long Reads, long Rows, int StepsWithRead, double WithReadMs, double WithoutMs);

    /// <summary>Process CPU time and wall time since <see cref="Begin"/>.</summary>
    internal sealed class Measure
    {
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly Stopwatch _wall = Stopwatch.StartNew();

        public static Measure Begin() => new();

        public double Cpu => (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;

        public double Wall => _wall.Elapsed.TotalSeconds;
    }
}
