using System.Data.Common;
using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Crm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks.Morning;

/// <summary>
/// Notification fan-out: events published to channels as the server publishes them (70 % to one rep, 30 % to a unit,
/// which reaches its managers and the company's admins), each stored once per recipient in the message center
/// (InboxGrain: numbered per user, group-committed) before the publish completes. Reported: events/s, stored
/// notifications/s and the publish latency, with many publishes in flight as a busy server has them.
/// Baseline in the same run, same database and durability: a plain one-writer loop inserting the same rows, 500 per
/// transaction with a prepared statement and ids counted in memory — the ceiling of writing these rows at all.
/// Options: --events 20000 --units 20 --managers 5 --reps 50 --in-flight 512 [--postgres]
/// </summary>
public sealed class NotificationFanOutBenchmark : IBenchmark
{
    public string Name => "fan-out";

    public string Description => "Notification fan-out into the message center (channel → inboxes, durable) vs a one-writer INSERT loop " +
                                 "[--events 20000 --units 20 --managers 5 --reps 50 --in-flight 512 --postgres]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var events = options.Int("events", 20_000);
        var units = options.Int("units", 20);
        var managers = options.Int("managers", 5);
        var reps = options.Int("reps", 50);
        var inFlight = options.Int("in-flight", 512);
        var postgres = args.Contains("--postgres");
        Console.WriteLine($"fan-out: {events:N0} events, {units} units of {managers} managers and {reps} reps, 2 admins; 70 % to a rep, 30 % to a unit; " +
                          $"{inFlight} in flight; {(postgres ? "PostgreSQL" : "SQLite")}; {Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");

        using var directory = new TempDirectory("crm-bench-fanout");
        if (postgres)
        {
            Environment.SetEnvironmentVariable("CRM_TEST_POSTGRES", Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? PostgresDatabase.DefaultServer);
        }

        await using var pg = postgres ? await PostgresDatabase.CreateAsync() : null;
        var database = pg is not null
            ? new CrmDatabase(DatabaseProvider.PostgreSql, pg.ConnectionString)
            : new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory.Path, "crm.db")}");
        await using var silo = await BenchSilo.StartAsync(database);
        var (repIds, unitIds) = await CreateOrgAsync(silo, units, managers, reps);
        var tree = silo.Services.GetRequiredService<OrgTreeCache>();
        var recipients = new Dictionary<string, int>();
        foreach (var unit in unitIds)
        {
            recipients["unit:" + unit] = (await tree.WatchersOf(unit)).Count;
        }

        var random = new Random(5);
        var channels = Enumerable.Range(0, events)
            .Select(_ => random.Next(10) < 7 ? "rep:" + repIds[random.Next(repIds.Count)] : "unit:" + unitIds[random.Next(unitIds.Count)])
            .ToList();
        var expected = channels.Sum(c => c.StartsWith("rep:", StringComparison.Ordinal) ? 1 : recipients[c]);

        // Warm-up: every inbox activated once (the first message of each user), then the measured run.
        await PublishAsync(silo, repIds.Select(r => "rep:" + r).Concat(unitIds.Select(u => "unit:" + u)).ToList(), inFlight);
        var before = await CountAsync(database);
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var latencies = await PublishAsync(silo, channels, inFlight);
        wall.Stop();
        var grainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var stored = await CountAsync(database) - before;

        var (baselineWall, baselineCpu) = await OneWriterLoopAsync(database, expected);

        latencies.Sort();
        Console.WriteLine();
        Console.WriteLine($"{"",-46}{"events/s",10}{"stored/s",11}{"p50 ms",9}{"p99 ms",9}{"CPU µs/stored",15}");
        Console.WriteLine($"{"channels → inboxes (group commit, durable)",-46}{events / wall.Elapsed.TotalSeconds,10:N0}{stored / wall.Elapsed.TotalSeconds,11:N0}" +
                          $"{latencies[latencies.Count / 2],9:N1}{latencies[(int)(latencies.Count * 0.99)],9:N1}{grainCpu * 1e6 / stored,15:N0}");
        Console.WriteLine($"{"one-writer INSERT loop, 500 rows/commit",-46}{"",10}{expected / baselineWall,11:N0}{"",9}{"",9}{baselineCpu * 1e6 / expected,15:N0}");
        Console.WriteLine($"stored {stored:N0} of {expected:N0} expected{(stored == expected ? " (ok)" : " MISMATCH")}; " +
                          $"ratio (fan-out / loop) stored/s {stored / wall.Elapsed.TotalSeconds / (expected / baselineWall):P0}; " +
                          $"load average at the end {HistoryBenchmark.LoadAverage()}" +
                          (postgres ? "; CPU is this process's only (PostgreSQL's own is not counted)" : ""));
    }

    private static async Task<(List<string> Reps, List<string> Units)> CreateOrgAsync(BenchSilo silo, int units, int managers, int reps)
    {
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var unitIds = Enumerable.Range(0, units).Select(u => $"unit-{u:D3}").ToList();
        var users = new List<(string Id, string Role, string? Unit)> { ("admin-1", "admin", null), ("admin-2", "admin", null) };
        foreach (var unit in unitIds)
        {
            users.AddRange(Enumerable.Range(0, managers).Select(m => ($"{unit}-mgr-{m}", "manager", (string?)unit)));
            users.AddRange(Enumerable.Range(0, reps).Select(r => ($"{unit}-rep-{r:D3}", "rep", (string?)unit)));
        }

        await using (var connection = await silo.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ('co', 'Company', NULL, '/co/', @now)", new { now });
            await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@Id, @Id, 'co', '/co/' || @Id || '/', @now)",
                unitIds.Select(id => new { Id = id, now }));
            await connection.ExecuteAsync("""
                INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
                VALUES (@Id, @Id, @Id, 'x', @Id, @Role, @Unit, @now)
                """, users.Select(u => new { u.Id, u.Role, u.Unit, now }));
        }

        await silo.Services.GetRequiredService<OrgTreeCache>().ChangedAsync();
        return (users.Where(u => u.Role == "rep").Select(u => u.Id).ToList(), unitIds);
    }

    private static async Task<List<double>> PublishAsync(BenchSilo silo, IReadOnlyList<string> channels, int inFlight)
    {
        var latencies = new List<double>(channels.Count);
        var next = -1;
        var workers = Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < channels.Count)
            {
                var message = new PushMessage("DealWon", Payload(i), DateTimeOffset.UtcNow, $"bench-{Guid.NewGuid():N}");
                var started = Stopwatch.GetTimestamp();
                await silo.Grains.GetGrain<IPushChannelGrain>(channels[i]).Route(message); // as the outbox delivers: done when stored
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return mine;
        })).ToList();
        foreach (var worker in workers)
        {
            latencies.AddRange(await worker);
        }

        return latencies;
    }

    private static string Payload(int i) =>
        $$"""{"customerId":"{{Guid.NewGuid()}}","dealId":"d-{{i:D8}}","title":"年度框架采购 {{i}}","amount":{{128_000 + i % 1000}}.00,"currency":"CNY","repId":"rep-{{i % 997:D3}}","at":"2026-12-02T10:15:00+08:00"}""";

    private static async Task<long> CountAsync(CrmDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications");
    }

    private static async Task<(double Wall, double Cpu)> OneWriterLoopAsync(CrmDatabase database, int rows)
    {
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await using var connection = await database.OpenAsync();
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        for (var first = 0; first < rows; first += 500)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO notifications (user_id, id, event_type, data, event_key, at_ms, created_ms) VALUES (@u, @i, @t, @d, @k, @a, @c)";
            var parameters = new[] { "u", "i", "t", "d", "k", "a", "c" }.Select(name => Add(insert, name)).ToArray();
            for (var i = first; i < Math.Min(rows, first + 500); i++)
            {
                parameters[0].Value = "loop-user";
                parameters[1].Value = (long)i + 1;
                parameters[2].Value = "DealWon";
                parameters[3].Value = Payload(i);
                parameters[4].Value = $"loop-{i}";
                parameters[5].Value = now;
                parameters[6].Value = now;
                if (i == first)
                {
                    await insert.PrepareAsync(); // typed by the first row's values
                }

                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        wall.Stop();
        return (wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
