using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Grains.Plugins;
using Crm.Sdk;
using Crm.Server.Plugins;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks.Assignment;

/// <summary>
/// Decisions per second and p99 per decision of every standard assignment strategy, loaded from the standard plugin's
/// folder as the server loads it, over a team of reps and a stream of leads; the host's bookkeeping (the chosen rep's
/// book grows) is part of each decision. Baseline in the same run: the least-loaded choice computed as a SQL query
/// over an indexed rep-load table (in-memory SQLite), then the update of the chosen row.
/// </summary>
public sealed class AssignmentBenchmark : IBenchmark
{
    private static readonly string[] Industries = ["retail", "machinery", "logistics", "textiles", "chemicals", "software", "food", "furniture", "auto parts", "medical", "education", "energy"];
    private static readonly string[] Regions = ["Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou", "Suzhou", "Ningbo", "Nanjing", "Chengdu", "Wuhan", "Xiamen", "Qingdao", "Tianjin", "Dalian", "Xi'an", "Changsha", "Hefei", "Fuzhou", "Jinan", "Kunming"];
    private static readonly string[] Languages = ["zh", "en", "ja", "ko"];

    public string Name => "assignment";

    public string Description => "assignment strategies: decisions/s and p99 over 1k reps and 100k leads vs a SQL least-loaded baseline (--reps, --leads, --sql-leads)";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var repCount = options.Int("reps", 1000);
        var leadCount = options.Int("leads", 100_000);
        var sqlLeads = options.Int("sql-leads", 20_000);
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        var reps = Enumerable.Range(0, repCount).Select(i => new RepCandidate
        {
            RepId = $"rep-{i:00000}",
            OrgUnitId = $"unit-{i % 10}",
            Capacity = 150 + random.Next(150),
            Industries = Pick(random, Industries, 1 + random.Next(3)),
            Regions = Pick(random, Regions, 1 + random.Next(2)),
            Languages = ["zh", .. Pick(random, Languages, random.Next(2))],
            Seniority = random.Next(6),
            JoinedAt = now.AddDays(-random.Next(720)),
            DealsWon = random.Next(30),
        }).ToList();
        var leads = Enumerable.Range(0, leadCount).Select(i => new CustomerSnapshot
        {
            Id = $"lead-{i}",
            Name = $"Lead {i}",
            Industry = Industries[random.Next(Industries.Length)],
            Language = random.Next(10) == 0 ? "en" : "zh",
            Address = $"{random.Next(1, 999)} Renmin Road, {Regions[random.Next(Regions.Length)]}",
        }).ToList();

        using var plugins = LoadStandardPlugin();
        var catalog = plugins.GetRequiredService<IStrategyCatalog>();
        Console.WriteLine($"assignment benchmark: {repCount:N0} reps, {leadCount:N0} leads per strategy, strategies loaded from {plugins.GetRequiredService<PluginHost>().Directory}");

        var baseline = SqlLeastLoaded(reps, Math.Min(sqlLeads, leadCount));
        Console.WriteLine($"  {"baseline: SQL least-loaded",-34} {baseline}");

        var runs = new (string Strategy, Dictionary<string, string> Options)[]
        {
            ("round-robin", []),
            ("least-loaded", []),
            ("weighted", []),
            ("profile-match", []),
            ("region-owner", new() { ["otherwise"] = "any" }),
            ("new-rep-boost", []),
            ("composite", new() { ["filters"] = "industry,region", ["picker"] = "least-loaded" }),
        };
        foreach (var (strategy, strategyOptions) in runs)
        {
            using var lease = catalog.RentAssignment(strategy) ?? throw new InvalidOperationException($"'{strategy}' is not loaded.");
            var collections = GC.CollectionCount(0);
            var (latencies, spread) = Decide(lease.Strategy, reps, leads, strategyOptions, now);
            Console.WriteLine($"  {strategy,-34} {latencies}   spread {spread,4}   x{latencies.PerSecond / baseline.PerSecond,6:N1} vs SQL   gen0 GCs {GC.CollectionCount(0) - collections}");
        }

        // The host calls strategies through the runner: a thread-pool hop under a time budget, per decision.
        var runner = plugins.GetRequiredService<StrategyRunner>();
        var viaRunner = await DecideViaRunnerAsync(runner, reps, leads.Take(Math.Min(20_000, leadCount)).ToList(), now);
        Console.WriteLine($"  {"least-loaded through the runner",-34} {viaRunner}   x{viaRunner.PerSecond / baseline.PerSecond,6:N1} vs SQL");
    }

    private static (Latencies Latencies, int Spread) Decide(IAssignmentStrategy strategy, IReadOnlyList<RepCandidate> team,
        IReadOnlyList<CustomerSnapshot> leads, Dictionary<string, string> options, DateTimeOffset now)
    {
        var reps = team.ToList();
        var index = reps.Select((r, i) => (r.RepId, i)).ToDictionary(x => x.RepId, x => x.i);
        var received = new int[reps.Count];
        string? state = null;
        var latencies = new Latencies();
        latencies.Start();
        foreach (var lead in leads)
        {
            var started = Stopwatch.GetTimestamp();
            var decision = strategy.Choose(new AssignmentRequest
            {
                Lead = lead,
                Candidates = reps,
                Pool = new PoolContext { PoolId = "bench", Options = options, StrategyState = state },
                Now = now,
            });
            state = decision.StrategyState;
            if (decision.RepId is { } id)
            {
                var i = index[id];
                reps[i] = reps[i] with { OwnedCount = reps[i].OwnedCount + 1, ReceivedToday = reps[i].ReceivedToday + 1 };
                received[i]++;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Stop();
        return (latencies, received.Max() - received.Min());
    }

    private static async Task<Latencies> DecideViaRunnerAsync(StrategyRunner runner, IReadOnlyList<RepCandidate> team,
        IReadOnlyList<CustomerSnapshot> leads, DateTimeOffset now)
    {
        var reps = team.ToList();
        var index = reps.Select((r, i) => (r.RepId, i)).ToDictionary(x => x.RepId, x => x.i);
        var latencies = new Latencies();
        latencies.Start();
        foreach (var lead in leads)
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = await runner.ChooseAsync("least-loaded", null, new AssignmentRequest
            {
                Lead = lead,
                Candidates = reps,
                Pool = new PoolContext { PoolId = "bench" },
                Now = now,
            });
            if (outcome.Value?.RepId is { } id)
            {
                var i = index[id];
                reps[i] = reps[i] with { OwnedCount = reps[i].OwnedCount + 1, ReceivedToday = reps[i].ReceivedToday + 1 };
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Stop();
        return latencies;
    }

    /// <summary>The same least-loaded choice (fewest owned, then fewest today, then rep id) as SQL over an indexed table.</summary>
    private static Latencies SqlLeastLoaded(IReadOnlyList<RepCandidate> reps, int leads)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, """
            CREATE TABLE rep_load (rep_id TEXT PRIMARY KEY, owned INTEGER NOT NULL, received INTEGER NOT NULL, capacity INTEGER NOT NULL, active INTEGER NOT NULL);
            CREATE INDEX ix_rep_load_pick ON rep_load (owned, received, rep_id) WHERE active = 1;
            """);
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO rep_load VALUES ($id, 0, 0, $capacity, 1)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var capacity = insert.Parameters.Add("$capacity", SqliteType.Integer);
            foreach (var rep in reps)
            {
                id.Value = rep.RepId;
                capacity.Value = rep.Capacity;
                insert.ExecuteNonQuery();
            }
        }

        using var pick = connection.CreateCommand();
        pick.CommandText = "SELECT rep_id FROM rep_load WHERE active = 1 AND owned < capacity ORDER BY owned, received, rep_id LIMIT 1";
        using var take = connection.CreateCommand();
        take.CommandText = "UPDATE rep_load SET owned = owned + 1, received = received + 1 WHERE rep_id = $id";
        var chosen = take.Parameters.Add("$id", SqliteType.Text);
        pick.Prepare();
        take.Prepare();
        var latencies = new Latencies();
        latencies.Start();
        for (var i = 0; i < leads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            chosen.Value = (string)pick.ExecuteScalar()!;
            take.ExecuteNonQuery();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Stop();
        return latencies;
    }

    private static ServiceProvider LoadStandardPlugin()
    {
        var directory = Path.Combine(RepoRoot(), "host", "Crm.Server", "bin",
#if DEBUG
            "Debug",
#else
            "Release",
#endif
            "net10.0", "plugins");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crm:Plugins:Directory"] = directory,
            ["Crm:Plugins:CallTimeoutMilliseconds"] = "1000",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddCrmPlugins(configuration)
            .BuildServiceProvider();
        services.LoadCrmPlugins();
        return services;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Crm.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }

    private static IReadOnlyList<string> Pick(Random random, string[] from, int count) =>
        from.OrderBy(_ => random.Next()).Take(count).ToList();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
