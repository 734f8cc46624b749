using System.Diagnostics;
using Crm.Benchmarks.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Crm.Benchmarks.Recycling;

/// <summary>
/// The baseline of <see cref="RecycleGrainsBenchmark"/>, same durability: the same customers in a table of deadlines
/// (indexed) in a SQLite file (WAL, synchronous=NORMAL), swept every simulated minute by one transaction that recycles
/// what is due (the owner cleared and a 'recycled' event row written) and marks the warnings due.
/// </summary>
internal static class RecycleSqlBaseline
{
    public static async Task<RecycleGrainsBenchmark.Figures> RunAsync(IReadOnlyList<OwnedSeed.Owned> owned, int warmUpDays, int days)
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
            Console.WriteLine($"sql: seeded in {setup.Elapsed.TotalSeconds:N0} s; load average {RecycleGrainsBenchmark.Load()}");

            // The same warm-up days as the grains, not measured; then each measured day's CPU.
            var run = RecycleGrainsBenchmark.Measure.Begin();
            var dayRun = run;
            var dayCpu = new List<double>();
            var day = TimeSpan.FromDays(1).TotalMilliseconds;
            long recycled = 0;
            for (var minute = 1; minute <= (warmUpDays + days) * 24 * 60; minute++)
            {
                if (minute % (24 * 60) == 1)
                {
                    if (minute / (24 * 60) > warmUpDays)
                    {
                        dayCpu.Add(dayRun.Cpu);
                    }

                    if (minute / (24 * 60) == warmUpDays)
                    {
                        (run, recycled) = (RecycleGrainsBenchmark.Measure.Begin(), 0);
                    }

                    dayRun = RecycleGrainsBenchmark.Measure.Begin();
                }

                var now = RecycleGrainsBenchmark.Start.AddMinutes(minute).ToUnixTimeMilliseconds();
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

            dayCpu.Add(dayRun.Cpu);
            return new RecycleGrainsBenchmark.Figures(run.Cpu, run.Wall, recycled, RecycleGrainsBenchmark.Rss(), setup.Elapsed.TotalSeconds, dayCpu);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            RecycleGrainsBenchmark.TryDelete(directory);
        }
    }

    private static DateTimeOffset Deadline(OwnedSeed.Owned c) =>
        new[] { (c.LastFollowUp ?? c.Since).AddDays(10), c.Since.AddDays(90) }.Min();
}
