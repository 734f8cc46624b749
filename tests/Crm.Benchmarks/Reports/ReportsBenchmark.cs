using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.EventLog;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Grains.Storage;
using Crm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Crm.Benchmarks.Reports;

/// <summary>
/// Issue 17's numbers, in two parts.
/// 1. What keeping the projections current costs per event: the same follow-ups through the real customer grains in a
///    BenchSilo (fresh database each time), once with every ICustomerProjection the server registers, once without the
///    five report projections (rep metrics, purchases, calibration, daily activity, funnel activity), once with none. Events/s and CPU µs
///    per event each way; the differences are what the projections cost.
/// 2. The report queries at scale (<see cref="ReportQueriesLoad"/>): the real server process over HTTP on a SQLite
///    data directory filled in bulk as the event log and the projections would have written it, against SQL GROUP BY
///    over customer_events in the same run, with a check that both give the same numbers.
/// Options: --customers 50000 --events 500000 --days 120 --reps 400 --calls 200 (part 2),
///          --grain-customers 2000 --grain-events 20000 --in-flight 64 --rounds 2 --postgres (part 1), --skip-grains, --skip-queries.
/// </summary>
public sealed class ReportsBenchmark : IBenchmark
{
    public string Name => "reports";

    public string Description => "Projection cost per event (grains with/without projections) and leaderboard/progress/daily-report p99 at scale vs SQL GROUP BY " +
                                 "[--customers 50000 --events 500000 --days 120 --reps 400 --calls 200 --grain-customers 2000 --grain-events 20000 --postgres]";

    /// <summary>The projections the reports read (issue 17), told apart from the rest.</summary>
    private static readonly Type[] ReportProjections =
    [
        typeof(Crm.Grains.Metrics.MetricProjection), typeof(Crm.Grains.Rfm.PurchaseProjection),
        typeof(Crm.Grains.Forecast.CalibrationProjection), typeof(Crm.Grains.DailyReports.DailyActivityProjection),
        typeof(Crm.Grains.Activity.ActivityProjection),
    ];

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        Console.WriteLine($"reports: {Environment.ProcessorCount} cores, load average {HistoryBenchmark.LoadAverage()}");
        if (!args.Contains("--skip-grains"))
        {
            await ProjectionCostAsync(options, args.Contains("--postgres"));
        }

        if (!args.Contains("--skip-queries"))
        {
            await ReportQueriesLoad.RunAsync(options);
        }

        Console.WriteLine($"load average at the end {HistoryBenchmark.LoadAverage()}");
    }

    private sealed record Cost(string Label, int Projections, double Wall, double Cpu, int Events, long MetricRows);

    private static async Task ProjectionCostAsync(BenchArgs options, bool postgres)
    {
        var customers = options.Int("grain-customers", 2_000);
        var events = options.Int("grain-events", 20_000);
        var inFlight = options.Int("in-flight", 64);
        Console.WriteLine($"part 1: {customers:N0} customers then {events:N0} follow-ups through the customer grains, {inFlight} in flight, " +
                          $"{(postgres ? "PostgreSQL" : "SQLite")}; a fresh silo and database per configuration");
        var rounds = Math.Max(1, options.Int("rounds", 2));
        var configurations = new (string Label, Action<IServiceCollection> Change)[]
        {
            ("all projections (server default)", _ => { }),
            ($"without the {ReportProjections.Length} report projections", s =>
            {
                foreach (var d in s.Where(d => d.ServiceType == typeof(ICustomerProjection) && ReportProjections.Contains(d.ImplementationType)).ToList())
                {
                    s.Remove(d);
                }
            }),
            ("no projections at all", s => s.RemoveAll<ICustomerProjection>()),
        };

        // An untimed round first (JIT, thread pool), then the configurations in turn, round after round, so that the
        // load the other engineers put on the machine falls on all of them alike; each keeps its least-CPU round.
        await MeasureAsync("warm-up", _ => { }, Math.Min(customers, 200), Math.Min(events, 1_000), inFlight, postgres);
        var measured = configurations.Select(_ => new List<Cost>()).ToList();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < configurations.Length; i++)
            {
                measured[i].Add(await MeasureAsync(configurations[i].Label, configurations[i].Change, customers, events, inFlight, postgres));
            }
        }

        var costs = measured.Select(m => m.MinBy(c => c.Cpu)!).ToList();
        Console.WriteLine();
        Console.WriteLine($"{"follow-ups through the grains",-40}{"proj.",6}{"wall s",9}{"events/s",10}{"CPU µs/event",14}{"metric rows",13}");
        foreach (var c in costs)
        {
            Console.WriteLine($"{c.Label,-40}{c.Projections,6}{c.Wall,9:N2}{c.Events / c.Wall,10:N0}{c.Cpu * 1e6 / c.Events,14:N0}{c.MetricRows,13:N0}");
        }

        var (all, noReports, none) = (costs[0], costs[1], costs[2]);
        Console.WriteLine($"report projections cost {(all.Cpu - noReports.Cpu) * 1e6 / events:N0} µs CPU per event " +
                          $"({(all.Cpu / noReports.Cpu - 1):P0} more CPU; throughput with them {noReports.Wall / all.Wall:P0} of without); " +
                          $"all projections {(all.Cpu - none.Cpu) * 1e6 / events:N0} µs per event (throughput with all {none.Wall / all.Wall:P0} of with none)");
        Console.WriteLine($"check: rep_day_metrics followUps add up to {all.MetricRows:N0} with the projections (expected {events:N0}): " +
                          $"{(all.MetricRows == events ? "ok" : "MISMATCH")}; load average {HistoryBenchmark.LoadAverage()}");
    }

    private static async Task<Cost> MeasureAsync(string label, Action<IServiceCollection> change, int customers, int events, int inFlight, bool postgres)
    {
        using var directory = new TempDirectory("crm-bench-reports");
        await using var pg = postgres ? await CreatePostgresAsync() : null;
        var database = pg is not null
            ? new CrmDatabase(DatabaseProvider.PostgreSql, pg.ConnectionString)
            : new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory.Path, "crm.db")}");
        await using var silo = await BenchSilo.StartAsync(database, afterSilo: change);
        var projections = silo.Services.GetServices<ICustomerProjection>().Count();
        var reps = await CreateOrgAsync(silo);
        var random = new Random(17);
        var owned = new (Guid Id, string Rep)[customers];
        await Latencies.RunAsync(Enumerable.Range(0, customers).ToArray(), inFlight, async i =>
        {
            var rep = reps[i % reps.Count];
            owned[i] = (Guid.NewGuid(), rep);
            var result = await silo.Grains.GetGrain<ICustomerGrain>(owned[i].Id)
                .Create(new NewCustomer($"联系人{i}", $"报表{i}贸易有限公司", $"13{i:D9}", PoolId: "bench-pool", OwnerId: rep), Actor.System);
            if (!result.Ok)
            {
                throw new InvalidOperationException($"customer creation failed: {result.Error}");
            }
        });

        var stream = Enumerable.Range(0, events).Select(_ => owned[random.Next(customers)]).ToArray();
        var types = Enum.GetValues<FollowUpType>();
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Latencies.RunAsync(Enumerable.Range(0, events).ToArray(), inFlight, async i =>
        {
            var (id, rep) = stream[i];
            var result = await silo.Grains.GetGrain<ICustomerGrain>(id)
                .AddFollowUp(new NewFollowUp(types[i % types.Length], i % 3 == 0 ? "reached" : "no answer"), new Actor(rep, UserRole.Rep, "bench-team"));
            if (!result.Ok)
            {
                throw new InvalidOperationException($"follow-up failed: {result.Error}");
            }
        });
        wall.Stop();
        var spent = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await using var connection = await database.OpenAsync();
        var counted = await connection.ExecuteScalarAsync<long?>("SELECT SUM(value_e4) / 10000 FROM rep_day_metrics WHERE metric = 'followUps'") ?? 0;
        Console.WriteLine($"  {label}: {projections} projections, {wall.Elapsed.TotalSeconds:N1} s, {spent * 1e6 / events:N0} µs CPU per event, " +
                          $"load average {HistoryBenchmark.LoadAverage()}");
        return new Cost(label, projections, wall.Elapsed.TotalSeconds, spent, events, counted);
    }

    private static async Task<PostgresDatabase> CreatePostgresAsync()
    {
        Environment.SetEnvironmentVariable("CRM_TEST_POSTGRES", Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? PostgresDatabase.DefaultServer);
        return await PostgresDatabase.CreateAsync();
    }

    /// <summary>One team of 20 reps under a region under the company, and a pool (the follow-ups do not depend on more).</summary>
    private static async Task<List<string>> CreateOrgAsync(BenchSilo silo)
    {
        var now = UnixTime.ToMs(DateTimeOffset.UtcNow);
        var reps = Enumerable.Range(0, 20).Select(r => $"rep-{r:D3}").ToList();
        await using (var connection = await silo.Database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ('bench-co', 'Company', NULL, '/bench-co/', @now);
                INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ('bench-region', 'Region', 'bench-co', '/bench-co/bench-region/', @now);
                INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ('bench-team', 'Team', 'bench-region', '/bench-co/bench-region/bench-team/', @now);
                """, new { now });
            await connection.ExecuteAsync("""
                INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
                VALUES (@Id, @Id, @Id, 'x', @Id, 'rep', 'bench-team', @now)
                """, reps.Select(id => new { Id = id, now }));
        }

        await silo.Services.GetRequiredService<OrgTreeCache>().ChangedAsync();
        if ((await silo.Grains.GetGrain<IPoolGrain>("bench-pool").Create("Bench pool", "bench-co", new PoolRuleSet())).Error is { } error)
        {
            throw new InvalidOperationException($"pool creation failed: {error}");
        }

        return reps;
    }
}
