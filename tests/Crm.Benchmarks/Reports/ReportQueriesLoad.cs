using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Crm.Benchmarks.Reports;

/// <summary>
/// Part 2 of the reports benchmark: a SQLite data directory filled in bulk as the event log and the projections would
/// have written it (customer_events rows of C customers created and E − C follow-ups over D days, owned by reps in a
/// 3-level org: company, regions, teams; the rep_day_metrics and daily_follow_ups rows those events make, computed here
/// with MetricProjection's rules: the rep credited, the day of the event's own time in the rep's calendar, UTC here),
/// then the real server process started on it and asked over HTTP, one call at a time, for leaderboards (team boards at
/// rep level, the company board at rep and team level, a region at team level), targets progress (any unit, a whole
/// month) and daily reports (distinct rep and working day, generated and stored by the call). Baseline in the same run:
/// the same figures by SQL GROUP BY over customer_events with indexes on (kind, at_ms) and (kind, actor_id, at_ms), and
/// every answer of the API compared with it. Not written: metric_facts (the projection's write-side ledger, which no
/// query reads), customers, tasks and instalments (so the daily report's lights and task lists are empty).
/// </summary>
public static class ReportQueriesLoad
{
    private const int Regions = 3;
    private const int TeamsPerRegion = 4;

    /// <summary>API-only calls of each query before its measured ones (see QueryCase.RunAsync).</summary>
    private const int ServerWarmUp = 40;

    public static async Task RunAsync(BenchArgs options)
    {
        var customers = options.Int("customers", 50_000);
        var events = Math.Max(customers, options.Int("events", 500_000));
        var days = options.Int("days", 120);
        var repCount = options.Int("reps", 400);
        var calls = options.Int("calls", 200);
        var lastDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var firstDay = lastDay.AddDays(1 - days);
        Console.WriteLine();
        Console.WriteLine($"part 2: {customers:N0} customers, {events:N0} events ({events - customers:N0} follow-ups) over {days} days ({firstDay:yyyy-MM-dd} to {lastDay:yyyy-MM-dd}), " +
                          $"{repCount} reps in {Regions * TeamsPerRegion} teams under {Regions} regions; {calls} calls per query; real server over HTTP, SQLite");

        // --data DIR keeps the filled directory there (to look into it after the run); by default a temporary one.
        var kept = options.String("data");
        using var temporary = kept is null ? new TempDirectory("crm-bench-report-queries") : null;
        var dataDirectory = Path.Combine(kept ?? temporary!.Path, "server");
        // A directory kept from an earlier run with the same options is asked again without filling it again.
        var marker = Path.Combine(dataDirectory, $"bench-filled-{customers}-{events}-{days}-{repCount}-{firstDay:yyyyMMdd}");
        var filled = File.Exists(marker);
        var server = await ServerProcess.StartAsync(dataDirectory); // makes the schema and the admin
        await server.StopAsync();
        var file = Path.Combine(dataDirectory, "crm.db");
        var clock = Stopwatch.StartNew();
        var org = await FillAsync(file, customers, events, firstDay, days, repCount, fill: !filled);
        if (filled)
        {
            // The daily reports an earlier run generated on this directory go, so each call generates and stores one again.
            await using var reset = new SqliteConnection($"Data Source={file}");
            await reset.OpenAsync();
            await using var delete = new SqliteCommand("DELETE FROM daily_report_replies; DELETE FROM daily_reports;", reset);
            Console.WriteLine($"daily reports of an earlier run removed: {await delete.ExecuteNonQueryAsync():N0}");
        }

        await File.WriteAllTextAsync(marker, "");
        Console.WriteLine($"{(filled ? "already filled" : "filled")} in {clock.Elapsed.TotalSeconds:N0} s ({new FileInfo(file).Length / 1e6:N0} MB), load average {HistoryBenchmark.LoadAverage()}");
        if (calls == 0)
        {
            return; // --calls 0: fill (or check) the kept directory only
        }

        await server.StartAsync();
        try
        {
            var admin = await server.Api().LoginAsAdminAsync();
            await SettleAsync(server, "start-up work (schema, sweeps, silo)");
            await using var sql = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
            await sql.OpenAsync();
            var random = new Random(23);
            var months = Enumerable.Range(0, days).Select(d => firstDay.AddDays(d)).Select(d => new DateOnly(d.Year, d.Month, 1)).Distinct().ToList();
            DateOnly AnyMonth() => months[random.Next(months.Count)];

            var cases = new List<QueryCase>
            {
                Board("leaderboard, a team's reps, month", calls, () => (org.Teams[random.Next(org.Teams.Count)], "rep", AnyMonth()), org, admin, sql),
                Board("leaderboard, the company's reps, month", calls, () => ("bench-co", "rep", AnyMonth()), org, admin, sql),
                Board("leaderboard, the company's regions (team)", calls, () => ("bench-co", "team", AnyMonth()), org, admin, sql),
                Board("leaderboard, a region's teams (team)", calls, () => (org.RegionIds[random.Next(Regions)], "team", AnyMonth()), org, admin, sql),
                Progress(calls, () => (org.AllUnits[random.Next(org.AllUnits.Count)], AnyMonth()), lastDay, org, admin, sql),
                Daily(calls, random, firstDay, lastDay, org, admin, sql),
            };

            // Every query's API-only warm-up first, then the server settles again (the JIT's tier-1 compiles in the
            // background), so no query measured pays for the code all of them share.
            foreach (var c in cases)
            {
                await c.WarmAsync();
            }

            await SettleAsync(server, "the warm-up's JIT work");
            Console.WriteLine();
            Console.WriteLine($"{"query (one call at a time)",-44}{"API p50",9}{"API p99",9}{"SQL p50",9}{"SQL p99",9}{"p99 SQL/API",13}{"srv CPU",9}{"checked",9}{"SQL ran",9}{"differ",8}");
            foreach (var c in cases)
            {
                var (api, baseline, differ, serverCpu) = await c.RunAsync(server);
                Console.WriteLine($"{c.Label,-44}{api.Percentile(50),9:N2}{api.Percentile(99),9:N2}{baseline.Percentile(50),9:N2}{baseline.Percentile(99),9:N2}" +
                                  $"{baseline.Percentile(99) / api.Percentile(99),12:N1}x{serverCpu / api.Count,9:N2}{api.Count,9}{baseline.Count,9}{differ,8}{(api.Percentile(99) < 50 ? "" : "  p99 >= 50 ms")}");
                foreach (var line in c.Differences.Take(3))
                {
                    Console.WriteLine($"    differs: {line}");
                }
            }

            Console.WriteLine("(ms; API = HTTP round trip to the server process with an admin token, SQL = GROUP BY over customer_events on a connection in this process; " +
                              "srv CPU = the server process's CPU ms per call (at /proc's 10 ms tick, so an average); every API answer is checked, SQL runs once per distinct board or progress and month after the warm-up: 'SQL ran' times)");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Waits (at most a minute) until the server spends under 5 % of a core for a second, so no query measured pays for its earlier work.</summary>
    private static async Task SettleAsync(ServerProcess server, string what)
    {
        for (var settle = Stopwatch.StartNew(); settle.Elapsed < TimeSpan.FromMinutes(1);)
        {
            var before = server.ProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (server.ProcessorTime - before < TimeSpan.FromMilliseconds(50))
            {
                Console.WriteLine($"server settled after {what} in {settle.Elapsed.TotalSeconds:N0} s");
                return;
            }
        }

        Console.WriteLine($"server still busy a minute after {what}");
    }

    private sealed record Org(List<string> RegionIds, List<string> Teams, List<string> AllUnits, List<(string Id, string Unit)> Reps,
        Dictionary<string, string> PathOf);

    /// <summary>One query: the API call and the baseline's figures for the same parameters, compared.</summary>
    private sealed class QueryCase(string label, int calls, Func<int, (string Path, Func<JsonElement, SqliteConnection, Task<(string? Difference, bool Computed)>> Baseline)> make,
        CrmApi admin, SqliteConnection sql, Action? warmedUp = null)
    {
        public string Label => label;

        public List<string> Differences { get; } = [];

        /// <summary>
        /// API-only calls with parameters of their own (a daily report call stores its report), neither timed nor compared:
        /// the server's code tiered up by the JIT (30 calls of a method and more), as on a server that has been up a while.
        /// </summary>
        public async Task WarmAsync()
        {
            foreach (var (path, _) in Enumerable.Range(0, Math.Min(ServerWarmUp, calls)).Select(make))
            {
                await admin.SendAsync(HttpMethod.Get, path, null);
            }
        }

        /// <summary>The calls, with the server's CPU time spent across them (user and kernel, from /proc; steadier than latency under load).</summary>
        public async Task<(Latencies Api, Latencies Sql, int Differ, double ServerCpuMs)> RunAsync(ServerProcess server)
        {
            var cpu = TimeSpan.Zero;
            var api = new Latencies();
            var baseline = new Latencies();
            // After WarmAsync: a few calls warm both sides up, then the timed ones.
            var warm = Math.Min(ServerWarmUp, calls);
            var items = Enumerable.Range(warm, calls + Math.Min(10, calls)).Select(make).ToList();
            for (var i = 0; i < items.Count; i++)
            {
                var warmUp = i < items.Count - calls; // the first few warm both sides up and are not counted
                if (i == items.Count - calls)
                {
                    warmedUp?.Invoke(); // what the baseline remembered while warming up is computed again, timed
                }

                var cpuBefore = server.ProcessorTime;
                var started = Stopwatch.GetTimestamp();
                using var response = JsonDocument.Parse(await admin.SendAsync(HttpMethod.Get, items[i].Path, null)); // throws unless 2xx
                var apiMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var cpuSpent = server.ProcessorTime - cpuBefore;

                started = Stopwatch.GetTimestamp();
                var (difference, computed) = await items[i].Baseline(response.RootElement, sql);
                var sqlMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (warmUp)
                {
                    continue;
                }

                api.Add(apiMs);
                cpu += cpuSpent;
                if (computed)
                {
                    baseline.Add(sqlMs);
                }

                if (difference is not null)
                {
                    Differences.Add($"{items[i].Path}: {difference}");
                }
            }

            return (api, baseline, Differences.Count, cpu.TotalMilliseconds);
        }
    }

    private static QueryCase Board(string label, int calls, Func<(string Scope, string Level, DateOnly Month)> pick, Org org,
        CrmApi admin, SqliteConnection sql)
    {
        // The same board asked again (the data set does not change during the calls) is checked against the SQL figures
        // of its first time; the baseline's latencies are those of the times it ran.
        var memo = new Dictionary<(string, string, DateOnly), (Dictionary<string, decimal> Now, Dictionary<string, decimal> Before)>();
        return new QueryCase(label, calls, _ =>
        {
            var (scope, level, month) = pick();
            var at = month.AddDays(14);
            return ($"/api/leaderboards?metric=followUps&period=month&at={Day(at)}&scopeId={scope}&level={level}&limit=1000", async (answer, connection) =>
            {
                var computed = !memo.TryGetValue((scope, level, month), out var figures);
                if (computed)
                {
                    // The baseline: follow-ups per rep of the subtree in the month and the month before, grouped by SQL;
                    // a team board adds its reps up to the child unit they are under.
                    var current = await FollowUpsByRepAsync(connection, org.PathOf[scope], month, month.AddMonths(1));
                    var previous = await FollowUpsByRepAsync(connection, org.PathOf[scope], month.AddMonths(-1), month);
                    if (level == "team")
                    {
                        var children = org.AllUnits.Where(u => IsChild(org, scope, u)).ToList();
                        current = RollUp(current, children, org);
                        previous = RollUp(previous, children, org);
                    }

                    figures = memo[(scope, level, month)] = (current, previous);
                }

                // Everyone ranked (every rep of the subtree, or every child unit), with 0 when SQL found nothing.
                var ranked = level == "team"
                    ? org.AllUnits.Where(u => IsChild(org, scope, u)).ToList()
                    : org.Reps.Where(r => org.PathOf[r.Unit].StartsWith(org.PathOf[scope], StringComparison.Ordinal)).Select(r => r.Id).ToList();
                return (Compare(answer, ranked, figures.Now, figures.Before), computed);
            });
        }, admin, sql, memo.Clear);
    }

    /// <summary>
    /// A board against the SQL figures: <c>total</c> is everyone ranked, the entries are the first min(limit, total) by
    /// value, and each entry's value, previous value, rank and previous rank (1 + how many had more) are SQL's.
    /// </summary>
    private static string? Compare(JsonElement answer, List<string> ranked, Dictionary<string, decimal> now, Dictionary<string, decimal> before)
    {
        var total = answer.GetProperty("total").GetInt32();
        var entries = answer.GetProperty("entries").EnumerateArray().ToList();
        if (total != ranked.Count || entries.Count != Math.Min(1000, ranked.Count))
        {
            return $"total {total}, {entries.Count} entries; SQL ranks {ranked.Count}";
        }

        var nowValues = ranked.Select(id => now.GetValueOrDefault(id)).OrderDescending().ToList();
        var beforeValues = ranked.Select(id => before.GetValueOrDefault(id)).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var id = entries[i].GetProperty("id").GetString()!;
            var (value, previous) = (entries[i].GetProperty("value").GetDecimal(), entries[i].GetProperty("previousValue").GetDecimal());
            var (rank, previousRank) = (entries[i].GetProperty("rank").GetInt32(), entries[i].GetProperty("previousRank").GetInt32());
            var (sqlNow, sqlBefore) = (now.GetValueOrDefault(id), before.GetValueOrDefault(id));
            var (sqlRank, sqlPreviousRank) = (1 + nowValues.Count(v => v > sqlNow), 1 + beforeValues.Count(v => v > sqlBefore));
            if (!ranked.Contains(id) || value != sqlNow || previous != sqlBefore || value != nowValues[i] || rank != sqlRank || previousRank != sqlPreviousRank
                || entries[i].GetProperty("rankChange").GetInt32() != sqlPreviousRank - sqlRank)
            {
                return $"{id}: API {value}/{previous} rank {rank}/{previousRank}, SQL {sqlNow}/{sqlBefore} rank {sqlRank}/{sqlPreviousRank} (#{i + 1} by SQL has {nowValues[i]})";
            }
        }

        return null;
    }

    private static QueryCase Progress(int calls, Func<(string Unit, DateOnly Month)> pick, DateOnly lastDay, Org org,
        CrmApi admin, SqliteConnection sql)
    {
        var memo = new Dictionary<(string, DateOnly), decimal>(); // as for the boards: SQL runs once per unit and month
        return new("targets progress, any unit, a month", calls, _ =>
        {
            var (unit, month) = pick();
            var end = month.AddMonths(1).AddDays(-1);
            var at = end < lastDay ? end : lastDay;
            return ($"/api/targets/progress?scope=orgUnit&scopeId={unit}&period={month:yyyy-MM}&at={Day(at)}&metric=followUps", async (answer, connection) =>
            {
                var value = answer.GetProperty("metrics")[0].GetProperty("value").GetDecimal();
                var computed = !memo.TryGetValue((unit, month), out var counted);
                if (computed)
                {
                    counted = memo[(unit, month)] = (await FollowUpsByRepAsync(connection, org.PathOf[unit], month, at.AddDays(1))).Values.Sum();
                }

                return (value == counted ? null : $"API {value}, SQL {counted}", computed);
            });
        }, admin, sql, memo.Clear);
    }

    private static QueryCase Daily(int calls, Random random, DateOnly firstDay, DateOnly lastDay, Org org,
        CrmApi admin, SqliteConnection sql)
    {
        // Distinct (rep, working day) pairs: a call for a past day generates and stores the report, a second would read it back.
        var workingDays = Enumerable.Range(0, lastDay.DayNumber - firstDay.DayNumber + 1).Select(firstDay.AddDays).Where(WorkCalendar.Default.IsWorkingDay).ToList();
        var pairs = new HashSet<(string, DateOnly)>();
        while (pairs.Count < Math.Min(calls + 10 + ServerWarmUp, org.Reps.Count * workingDays.Count))
        {
            pairs.Add((org.Reps[random.Next(org.Reps.Count)].Id, workingDays[random.Next(workingDays.Count)]));
        }

        var list = pairs.ToList();
        return new QueryCase("daily report, a rep's past working day", calls, i =>
        {
            var (rep, day) = list[i];
            return ($"/api/reports/daily?repId={rep}&date={Day(day)}", async (answer, connection) =>
            {
                var (from, to) = (Ms(day), Ms(day.AddDays(1)));
                await using var byType = new SqliteCommand("""
                    SELECT json_extract(data, '$.type'), json_extract(data, '$.outcome'), COUNT(*) FROM customer_events
                    WHERE kind = 'follow-up' AND actor_id = $rep AND at_ms >= $from AND at_ms < $to GROUP BY 1, 2
                    """, connection);
                byType.Parameters.AddWithValue("$rep", rep);
                byType.Parameters.AddWithValue("$from", from);
                byType.Parameters.AddWithValue("$to", to);
                var expected = new SortedSet<string>(StringComparer.Ordinal);
                await using (var reader = await byType.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        expected.Add($"{reader.GetString(0)}/{reader.GetString(1)}={reader.GetInt64(2)}");
                    }
                }

                await using var created = new SqliteCommand("""
                    SELECT COUNT(*) FROM customer_events WHERE kind = 'created' AND actor_id = $rep AND at_ms >= $from AND at_ms < $to
                    """, connection);
                created.Parameters.AddWithValue("$rep", rep);
                created.Parameters.AddWithValue("$from", from);
                created.Parameters.AddWithValue("$to", to);
                var newCustomers = (long)(await created.ExecuteScalarAsync())!;

                var figures = answer.GetProperty("figures");
                var got = new SortedSet<string>(figures.GetProperty("followUpsByType").EnumerateArray()
                    .Select(f => $"{f.GetProperty("type").GetString()}/{f.GetProperty("outcome").GetString()}={f.GetProperty("count").GetInt32()}"), StringComparer.Ordinal);
                var followUps = expected.Sum(e => long.Parse(e[(e.LastIndexOf('=') + 1)..], CultureInfo.InvariantCulture));
                return (got.SetEquals(expected) && figures.GetProperty("followUps").GetInt64() == followUps && figures.GetProperty("newCustomers").GetInt64() == newCustomers
                    ? null
                    : $"API {figures.GetProperty("followUps")} follow-ups {string.Join(",", got)} new {figures.GetProperty("newCustomers")}; SQL {followUps} {string.Join(",", expected)} new {newCustomers}",
                    true);
            });
        }, admin, sql);
    }

    private static async Task<Dictionary<string, decimal>> FollowUpsByRepAsync(SqliteConnection connection, string path, DateOnly from, DateOnly to)
    {
        await using var command = new SqliteCommand("""
            SELECT e.actor_id, COUNT(*) FROM customer_events e
            JOIN users u ON u.id = e.actor_id JOIN org_units o ON o.id = u.org_unit_id
            WHERE e.kind = 'follow-up' AND e.at_ms >= $from AND e.at_ms < $to AND o.path LIKE $path
            GROUP BY e.actor_id
            """, connection);
        command.Parameters.AddWithValue("$from", Ms(from));
        command.Parameters.AddWithValue("$to", Ms(to));
        command.Parameters.AddWithValue("$path", path + "%");
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    private static bool IsChild(Org org, string parent, string unit) =>
        org.PathOf[unit].StartsWith(org.PathOf[parent], StringComparison.Ordinal) && org.PathOf[unit].Count(c => c == '/') == org.PathOf[parent].Count(c => c == '/') + 1;

    private static Dictionary<string, decimal> RollUp(Dictionary<string, decimal> byRep, List<string> children, Org org)
    {
        var unitOf = org.Reps.ToDictionary(r => r.Id, r => org.PathOf[r.Unit], StringComparer.Ordinal);
        return children.ToDictionary(c => c, c => byRep.Where(kv => unitOf[kv.Key].StartsWith(org.PathOf[c], StringComparison.Ordinal)).Sum(kv => kv.Value),
            StringComparer.Ordinal);
    }

    /// <summary>The org (row by row: a few hundred rows), then the events and the projection rows they make, set-based (<see cref="ReportBulkFill"/>).</summary>
    private static async Task<Org> FillAsync(string file, int customers, int events, DateOnly firstDay, int days, int repCount, bool fill)
    {
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var pathOf = new Dictionary<string, string>(StringComparer.Ordinal) { ["bench-co"] = "/bench-co/" };
        var units = new List<(string Id, string Parent)> { ("bench-co", "") };
        var regions = new List<string>();
        var teams = new List<string>();
        for (var r = 0; r < Regions; r++)
        {
            var region = $"bench-r{r}";
            regions.Add(region);
            pathOf[region] = $"/bench-co/{region}/";
            units.Add((region, "bench-co"));
            for (var t = 0; t < TeamsPerRegion; t++)
            {
                var team = $"bench-r{r}-t{t}";
                teams.Add(team);
                pathOf[team] = $"{pathOf[region]}{team}/";
                units.Add((team, region));
            }
        }

        var reps = Enumerable.Range(0, repCount).Select(i => (Id: $"bench-rep-{i:D5}", Unit: teams[i % teams.Count])).ToList();
        var start = Ms(firstDay);
        if (!fill)
        {
            return new Org(regions, teams, units.Select(u => u.Id).ToList(), reps, pathOf);
        }

        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using (var pragma = new SqliteCommand("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;", connection))
        {
            await pragma.ExecuteNonQueryAsync();
        }

        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            var unit = Command(connection, transaction, "INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ($1, $1, NULLIF($2, ''), $3, $4)", 4);
            foreach (var (id, parent) in units)
            {
                await RunAsync(unit, id, parent, pathOf[id], now);
            }

            var user = Command(connection, transaction, """
                INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
                VALUES ($1, $1, $1, 'x', $1, 'rep', $2, $3)
                """, 3);
            foreach (var (id, team) in reps)
            {
                await RunAsync(user, id, team, now);
            }

            await transaction.CommitAsync();
        }

        await ReportBulkFill.RunAsync(connection, customers, events, start, days, repCount, teams.Count);
        return new Org(regions, teams, units.Select(u => u.Id).ToList(), reps, pathOf);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string text, int parameters)
    {
        var command = new SqliteCommand(text, connection, transaction);
        for (var i = 1; i <= parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + i, null));
        }

        command.Prepare();
        return command;
    }

    private static async Task RunAsync(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        await command.ExecuteNonQueryAsync();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Ms(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
}
