using Crm.Grains.Customers;
using System.Diagnostics;
using Crm.Client;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Microsoft.Data.Sqlite;

namespace Crm.Benchmarks;

/// <summary>
/// Recycling at scale: N owned customers over R reps, D simulated days. Each simulated hour every rep's
/// private pool is swept (the rep grains' sorted deadlines, <see cref="RecycleSchedule"/>, driven directly:
/// what each rep grain's timer runs, without the silo around it); each day a share of customers get a
/// follow-up. A customer past its deadline is re-checked with the same rule the customer grain applies,
/// recycled, and claimed again by another rep, so the pool stays full. Baseline: the same rule, the same
/// follow-ups and the same hourly sweep as SQL over a table of deadlines (indexed) in one SQLite file.
/// Options: --customers 1000000 --reps 10000 --days 2 --follow-ups 0.08 (share per day) --sweeps 24 (per day); the
/// default stays under about three minutes of CPU on two cores; --days 30 runs the full month.
/// </summary>
public sealed class RecycleSweepBenchmark : IBenchmark
{
    private const long Day = TimeSpan.TicksPerDay / TimeSpan.TicksPerMillisecond;

    private static readonly PoolRuleSet Rules = Recycling.RecycleGrainsBenchmark.Rules;

    public string Name => "recycle-sweep";

    public string Description => "Recycling sweep: rep grains' sorted deadlines vs. a SQL deadlines table (CPU s per simulated day)";

    public async Task RunAsync(string[] args)
    {
        var customers = Option(args, "--customers", 1_000_000);
        var reps = Option(args, "--reps", 10_000);
        var days = Option(args, "--days", 2);
        var followUpShare = Option(args, "--follow-ups", 0.08);
        var sweepsPerDay = Option(args, "--sweeps", 24);
        Console.WriteLine($"recycle-sweep: {customers:N0} owned customers, {reps:N0} reps, {days} simulated days, " +
                          $"{followUpShare:P0} followed up a day, {sweepsPerDay} sweeps a day; rules: no follow-up 10 d, no deal 90 d, warn 2 d and 1 d before");

        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var seed = new Scenario(customers, reps, start, 42);

        var memory = RunInMemory(seed, days, followUpShare, sweepsPerDay);
        GC.Collect();
        var sql = await RunSqlAsync(seed, days, followUpShare, sweepsPerDay);

        Console.WriteLine();
        Console.WriteLine($"{"",-34}{"CPU s/day",12}{"wall s/day",12}{"recycled",12}{"warnings",12}{"setup CPU s",13}{"RSS MB",10}");
        Print("rep grains' sorted deadlines", memory);
        Print("SQL over a deadlines table", sql);
        Console.WriteLine($"ratio (SQL / sorted deadlines): CPU {sql.CpuPerDay / memory.CpuPerDay:F1}x, wall {sql.WallPerDay / memory.WallPerDay:F1}x");
        if (memory.Recycled != sql.Recycled || memory.Warnings != sql.Warnings)
        {
            Console.WriteLine($"MISMATCH: the two runs disagree (recycled {memory.Recycled} vs {sql.Recycled}, warnings {memory.Warnings} vs {sql.Warnings})");
        }
    }

    private static Figures RunInMemory(Scenario scenario, int days, double followUpShare, int sweepsPerDay)
    {
        var setupCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var schedules = new RecycleSchedule[scenario.Reps];
        for (var r = 0; r < schedules.Length; r++)
        {
            schedules[r] = new RecycleSchedule([]);
            schedules[r].SetRules("pool", Rules);
        }

        var ids = new Guid[scenario.Customers];
        var owner = new int[scenario.Customers];
        var version = new long[scenario.Customers];
        for (var c = 0; c < scenario.Customers; c++)
        {
            ids[c] = new Guid(c, 0, 0, new byte[8]);
            var (rep, ownedSince, lastFollowUp) = scenario.Initial(c);
            owner[c] = rep;
            schedules[rep].Put(new OwnedCustomer(ids[c], "pool", ownedSince, new RecycleFacts(ownedSince, lastFollowUp, null, CustomerStage.Lead, 1)));
        }

        var index = new Dictionary<Guid, int>(scenario.Customers);
        for (var c = 0; c < ids.Length; c++)
        {
            index[ids[c]] = c;
        }

        var setup = (Process.GetCurrentProcess().TotalProcessorTime - setupCpu).TotalSeconds;
        var rssAfterSetup = Environment.WorkingSet;
        var random = new Random(7);
        long recycled = 0, warnings = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var day = 0; day < days; day++)
        {
            for (var sweep = 0; sweep < sweepsPerDay; sweep++)
            {
                var now = scenario.Start.AddDays(day).AddTicks(TimeSpan.TicksPerDay * (sweep + 1) / sweepsPerDay);
                if (sweep == sweepsPerDay / 2)
                {
                    // The day's follow-ups, at noon: each one reports new facts to its rep's schedule.
                    foreach (var c in scenario.FollowUps(random, followUpShare))
                    {
                        var facts = schedules[owner[c]].Owned[ids[c]].Facts! with { LastFollowUpAt = now, Version = ++version[c] + 1 };
                        schedules[owner[c]].Put(new OwnedCustomer(ids[c], "pool", facts.OwnedSince, facts));
                    }
                }

                for (var r = 0; r < schedules.Length; r++)
                {
                    var plan = schedules[r].TakeDue(now);
                    warnings += plan.Warnings.Count;
                    foreach (var id in plan.ToRecycle)
                    {
                        // The customer grain's decision: the same rule over its own facts.
                        var c = index[id];
                        var facts = schedules[r].Owned[id].Facts!;
                        if (RecycleRules.DeadlineOf(facts, Rules)!.At > now)
                        {
                            schedules[r].Settle(id, facts);
                            continue;
                        }

                        recycled++;
                        schedules[r].Remove(id);
                        var next = scenario.Reclaimer(c, r);
                        owner[c] = next;
                        version[c]++;
                        schedules[next].Put(new OwnedCustomer(id, "pool", now, new RecycleFacts(now, null, null, CustomerStage.Lead, version[c] + 1)));
                    }
                }
            }
        }

        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var figures = new Figures(cpuSeconds / days, wall.Elapsed.TotalSeconds / days, recycled, warnings, setup,
            Math.Max(rssAfterSetup, Environment.WorkingSet) / 1024 / 1024);
        GC.KeepAlive(schedules);
        return figures;
    }

    private static async Task<Figures> RunSqlAsync(Scenario scenario, int days, double followUpShare, int sweepsPerDay)
    {
        var file = Path.Combine(Path.GetTempPath(), $"crm-recycle-bench-{Guid.NewGuid():N}.db");
        try
        {
            await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
            await connection.OpenAsync();
            Exec(connection, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Exec(connection, null, """
                CREATE TABLE deadlines (
                    customer_id INTEGER PRIMARY KEY, rep_id INTEGER NOT NULL, owned_since_ms INTEGER NOT NULL,
                    last_follow_up_ms INTEGER NULL, deadline_ms INTEGER NOT NULL, warned INTEGER NOT NULL);
                """);

            var setupCpu = Process.GetCurrentProcess().TotalProcessorTime;
            using (var tx = connection.BeginTransaction())
            {
                using var insert = Command(connection, tx, "INSERT INTO deadlines VALUES ($id, $rep, $owned, $fu, $deadline, 0)", "$id", "$rep", "$owned", "$fu", "$deadline");
                for (var c = 0; c < scenario.Customers; c++)
                {
                    var (rep, ownedSince, lastFollowUp) = scenario.Initial(c);
                    Run(insert, c, rep, ownedSince.ToUnixTimeMilliseconds(), lastFollowUp?.ToUnixTimeMilliseconds(),
                        Deadline(ownedSince.ToUnixTimeMilliseconds(), lastFollowUp?.ToUnixTimeMilliseconds()));
                }

                tx.Commit();
            }

            Exec(connection, null, "CREATE INDEX ix_deadlines_due ON deadlines(deadline_ms)");
            var setup = (Process.GetCurrentProcess().TotalProcessorTime - setupCpu).TotalSeconds;

            var random = new Random(7);
            long recycled = 0, warnings = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            using var followUp = Command(connection, null,
                """
                UPDATE deadlines SET last_follow_up_ms = $now, deadline_ms = MIN($now + 10 * $day, owned_since_ms + 90 * $day),
                    warned = CASE WHEN MIN($now + 10 * $day, owned_since_ms + 90 * $day) = deadline_ms THEN warned ELSE 0 END
                WHERE customer_id = $id
                """,
                "$now", "$day", "$id");
            using var due = Command(connection, null, "SELECT customer_id, rep_id, owned_since_ms, last_follow_up_ms FROM deadlines WHERE deadline_ms <= $now", "$now");
            using var reclaim = Command(connection, null,
                "UPDATE deadlines SET rep_id = $rep, owned_since_ms = $now, last_follow_up_ms = NULL, deadline_ms = $deadline, warned = 0 WHERE customer_id = $id",
                "$rep", "$now", "$deadline", "$id");
            using var toWarn = Command(connection, null, """
                SELECT customer_id, CASE WHEN deadline_ms <= $now + $day THEN 2 ELSE 1 END FROM deadlines
                WHERE deadline_ms > $now AND deadline_ms <= $now + 2 * $day AND warned < CASE WHEN deadline_ms <= $now + $day THEN 2 ELSE 1 END
                """, "$now", "$day");
            using var warned = Command(connection, null, "UPDATE deadlines SET warned = $warned WHERE customer_id = $id", "$warned", "$id");
            for (var day = 0; day < days; day++)
            {
                for (var sweep = 0; sweep < sweepsPerDay; sweep++)
                {
                    var now = scenario.Start.AddDays(day).AddTicks(TimeSpan.TicksPerDay * (sweep + 1) / sweepsPerDay).ToUnixTimeMilliseconds();
                    using var tx = connection.BeginTransaction();
                    if (sweep == sweepsPerDay / 2)
                    {
                        followUp.Transaction = tx;
                        foreach (var c in scenario.FollowUps(random, followUpShare))
                        {
                            Run(followUp, now, Day, c);
                        }
                    }

                    due.Transaction = tx;
                    var found = new List<(long Id, int Rep, long Owned, long? FollowUp)>();
                    using (var reader = Read(due, now))
                    {
                        while (reader.Read())
                        {
                            found.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
                        }
                    }

                    reclaim.Transaction = tx;
                    foreach (var (id, rep, owned, lastFollowUp) in found)
                    {
                        if (Deadline(owned, lastFollowUp) > now)
                        {
                            continue;
                        }

                        recycled++;
                        Run(reclaim, scenario.Reclaimer((int)id, rep), now, Deadline(now, null), id);
                    }

                    toWarn.Transaction = tx;
                    var warn = new List<(long Id, int Level)>();
                    using (var reader = Read(toWarn, now, Day))
                    {
                        while (reader.Read())
                        {
                            warn.Add((reader.GetInt64(0), reader.GetInt32(1)));
                        }
                    }

                    warned.Transaction = tx;
                    foreach (var (id, level) in warn)
                    {
                        warnings++;
                        Run(warned, level, id);
                    }

                    tx.Commit();
                }
            }

            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            return new Figures(cpuSeconds / days, wall.Elapsed.TotalSeconds / days, recycled, warnings, setup, Environment.WorkingSet / 1024 / 1024);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    private static long Deadline(long ownedSince, long? lastFollowUp) =>
        Math.Min(Math.Max(ownedSince, lastFollowUp ?? 0) + 10 * Day, ownedSince + 90 * Day);

    private static void Print(string what, Figures f) =>
        Console.WriteLine($"{what,-34}{f.CpuPerDay,12:F3}{f.WallPerDay,12:F3}{f.Recycled,12:N0}{f.Warnings,12:N0}{f.SetupSeconds,13:F1}{f.ResidentMb,10:N0}");

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private static SqliteDataReader Read(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteReader();
    }

    private static void Exec(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var command = Command(connection, tx, sql);
        command.ExecuteNonQuery();
    }

    private static T Option<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? T.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Figures(double CpuPerDay, double WallPerDay, long Recycled, long Warnings, double SetupSeconds, long ResidentMb);

    /// <summary>The same customers, owners and follow-ups for both runs (seeded, generated once).</summary>
    private sealed class Scenario
    {
        private readonly long[] _ownedAgo;
        private readonly long[] _followedUpAgo;

        public Scenario(int customers, int reps, DateTimeOffset start, int seed)
        {
            (Customers, Reps, Start) = (customers, reps, start);
            var random = new Random(seed);
            _ownedAgo = new long[customers];
            _followedUpAgo = new long[customers];
            for (var c = 0; c < customers; c++)
            {
                _ownedAgo[c] = random.Next(0, 60 * 24 * 60) * TimeSpan.TicksPerMinute;
                _followedUpAgo[c] = random.Next(10) == 0 ? -1 : Math.Min(_ownedAgo[c], random.Next(0, 10 * 24 * 60) * TimeSpan.TicksPerMinute);
            }
        }

        public int Customers { get; }

        public int Reps { get; }

        public DateTimeOffset Start { get; }

        /// <summary>Owner, owned since (0-60 days ago) and last follow-up (0-10 days ago, or never) of customer <paramref name="c"/>.</summary>
        public (int Rep, DateTimeOffset OwnedSince, DateTimeOffset? LastFollowUp) Initial(int c) =>
            (c % Reps, Start.AddTicks(-_ownedAgo[c]), _followedUpAgo[c] < 0 ? null : Start.AddTicks(-_followedUpAgo[c]));

        public IEnumerable<int> FollowUps(Random random, double share)
        {
            var count = (int)(Customers * share);
            for (var i = 0; i < count; i++)
            {
                yield return random.Next(Customers);
            }
        }

        /// <summary>Who claims a recycled customer: another rep, fixed per customer and loser so both runs agree.</summary>
        public int Reclaimer(int c, int lost) => (lost + 1 + (c % (Reps - 1))) % Reps;
    }
}
