using System.Diagnostics;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Metrics;
using Microsoft.Data.Sqlite;

namespace Crm.Benchmarks.Reports;

/// <summary>
/// Fills the event log and the projection tables of the report queries with set-based SQL, so 10M events load in
/// minutes instead of hours through the grains. One generated table (<c>bench_gen</c>: customer, seq, time, rep, kind,
/// type, outcome) is the source of everything: <c>customer_events</c> (real event JSON: a template written by
/// <see cref="EventJson"/> with its fields set per row), and the rows the projections would write for those events:
/// <c>daily_follow_ups</c> (DailyActivityProjection), <c>rep_day_metrics</c> and <c>rep_period_metrics</c>
/// (MetricProjection: credited to the owner a customer was created for and to who followed up, on the UTC day, the
/// calendar of units that set none). Secondary indexes are dropped during the load and built again after it.
/// </summary>
internal static class ReportBulkFill
{
    public static async Task RunAsync(SqliteConnection connection, int customers, int events, long startMs, int days, int repCount, int teams)
    {
        // The rules the SQL below follows, checked against the projection's own.
        var sampleAt = DateTimeOffset.FromUnixTimeMilliseconds(startMs);
        var created = new Created(sampleAt, "bench-rep-00000", new CustomerProfile("联系人", "报表贸易有限公司", "13000000000", null, null, null, null),
            LeadTraits.None, "bench-pool", "bench-r0-t0", null, "bench-rep-00000", []);
        var followUp = new FollowedUp(sampleAt, "bench-rep-00000", "call", "reached", "跟进", null);
        if (MetricProjection.CreditedRep(created) != created.OwnerId || MetricProjection.CreditedRep(followUp) != followUp.ActorId)
        {
            throw new InvalidOperationException("MetricProjection credits events differently from this fill.");
        }

        var indexes = new List<(string Name, string Sql)>();
        await using (var read = new SqliteCommand("""
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
              AND tbl_name IN ('customer_events', 'daily_follow_ups', 'rep_day_metrics')
            """, connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var perCustomer = (events - customers + customers - 1) / customers; // follow-ups per customer, at most
        var spanSeconds = (long)days * 86_400;
        var steps = new List<(string Label, string Sql)>
        {
            ("settings", "PRAGMA cache_size = -1000000; PRAGMA temp_store = FILE;"),
            ("drop indexes", string.Concat(indexes.Select(i => $"DROP INDEX IF EXISTS {i.Name};"))),
            // Customer-major order (k = 0 is the creation, seq 1): the log's (customer_id, position) index fills in order.
            ("generate", $"""
                CREATE TEMP TABLE bench_gen AS
                WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < {customers}),
                     k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j + 1 <= {perCustomer})
                SELECT printf('00000000-0000-4000-8000-%012d', c.i) AS customer_id, k.j + 1 AS seq,
                       {startMs} + ((((c.i * {perCustomer + 1} + k.j) * 2654435761) % 4294967296) % {spanSeconds}) * 1000 + (c.i % 1000) AS at_ms,
                       printf('bench-rep-%05d', (c.i * 7919) % {repCount}) AS rep,
                       'bench-r' || (((c.i * 7919) % {repCount}) % {teams} / 4) || '-t' || (((c.i * 7919) % {repCount}) % {teams} % 4) AS unit,
                       CASE WHEN k.j = 0 THEN 'created' ELSE 'follow-up' END AS kind,
                       CASE (c.i + k.j * 7) % 4 WHEN 0 THEN 'call' WHEN 1 THEN 'visit' WHEN 2 THEN 'message' ELSE 'email' END AS type,
                       CASE (c.i * 3 + k.j) % 3 WHEN 0 THEN 'reached' WHEN 1 THEN 'no answer' ELSE 'interested' END AS outcome, c.i AS n
                FROM c CROSS JOIN k
                WHERE k.j = 0 OR (k.j - 1) * {customers} + c.i < {events - customers}
                """),
            ("customer_events", $"""
                INSERT INTO customer_events (customer_id, seq, at_ms, recorded_ms, kind, actor_id, data)
                SELECT customer_id, seq, at_ms, at_ms, kind, rep,
                       CASE kind
                         WHEN 'created' THEN json_set('{Quote(EventJson.Write(created))}', '$.at', {IsoAt("at_ms")}, '$.actorId', rep, '$.ownerId', rep,
                           '$.orgUnitId', unit, '$.profile.name', '联系人' || n, '$.profile.company', '报表' || n || '贸易有限公司')
                         ELSE json_set('{Quote(EventJson.Write(followUp))}', '$.at', {IsoAt("at_ms")}, '$.actorId', rep, '$.type', type,
                           '$.outcome', outcome, '$.text', '跟进 ' || n || '/' || seq)
                       END
                FROM bench_gen
                """),
            ("daily_follow_ups", """
                INSERT INTO daily_follow_ups (customer_id, seq, rep_id, day, type, outcome)
                SELECT customer_id, seq, rep, date(at_ms / 1000, 'unixepoch'), type, outcome FROM bench_gen WHERE kind = 'follow-up'
                """),
            ("rep_day_metrics", """
                INSERT INTO rep_day_metrics (rep_id, day, metric, currency, value_e4)
                SELECT rep, date(at_ms / 1000, 'unixepoch'), CASE kind WHEN 'created' THEN 'newCustomers' ELSE 'followUps' END, '', COUNT(*) * 10000
                FROM bench_gen GROUP BY 1, 2, 3
                """),
            // The week, month and quarter rows, as the schema's backfill of a database from before them writes them (76-rep-period-metrics.sql).
            ("rep_period_metrics", """
                INSERT INTO rep_period_metrics (metric, period, rep_id, value_e4)
                SELECT metric, period, rep_id, SUM(value_e4) FROM (
                    SELECT metric, rep_id, value_e4, strftime('%Y', date(day, '-3 days', 'weekday 4')) || '-W'
                           || printf('%02d', (CAST(strftime('%j', date(day, '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1) AS period
                    FROM rep_day_metrics WHERE currency = ''
                    UNION ALL SELECT metric, rep_id, value_e4, substr(day, 1, 7) FROM rep_day_metrics WHERE currency = ''
                    UNION ALL SELECT metric, rep_id, value_e4, substr(day, 1, 4) || '-Q' || ((CAST(substr(day, 6, 2) AS INTEGER) + 2) / 3)
                    FROM rep_day_metrics WHERE currency = ''
                ) days
                GROUP BY metric, period, rep_id
                """),
            ("drop generated", "DROP TABLE bench_gen;"),
            ("indexes", string.Join(";\n", indexes.Select(i => i.Sql)) + ";"),
            // The baseline's indexes: what a competent engineer adds for GROUP BY over the log by kind and time, or by rep.
            ("baseline indexes", """
                CREATE INDEX IF NOT EXISTS ix_bench_events_kind_at ON customer_events(kind, at_ms, actor_id);
                CREATE INDEX IF NOT EXISTS ix_bench_events_kind_actor ON customer_events(kind, actor_id, at_ms);
                """),
            ("analyze", "ANALYZE;"),
        };

        foreach (var (label, sql) in steps)
        {
            var clock = Stopwatch.StartNew();
            await using var command = new SqliteCommand(sql, connection) { CommandTimeout = 0 };
            var rows = await command.ExecuteNonQueryAsync();
            Console.WriteLine($"  {label}: {clock.Elapsed.TotalSeconds:N1} s{(sql.TrimStart().StartsWith("INSERT", StringComparison.Ordinal) ? $", {rows:N0} rows" : "")}, load average {EventLog.HistoryBenchmark.LoadAverage()}");
        }
    }

    private static string IsoAt(string column) => $"strftime('%Y-%m-%dT%H:%M:%f+00:00', {column} / 1000.0, 'unixepoch')";

    private static string Quote(string json) => json.Replace("'", "''");
}
