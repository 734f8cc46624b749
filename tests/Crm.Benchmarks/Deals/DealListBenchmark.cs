using System.Diagnostics;
using Crm.Grains.Common;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Grains.Storage;
using Crm.Server.Api.Contracts;
using Crm.Server.Api.Deals;
using Crm.Server.Permissions;
using Crm.Server.Storage;
using Dapper;

namespace Crm.Benchmarks.Deals;

/// <summary>
/// Deal lists by scope over the read model: a company of 10 regions × 10 teams × 10 reps, N customers (half owned)
/// and D deals spread over them, bulk-loaded by SQL into SQLite. Then <see cref="DealQueries.ListAsync"/> (page 1 of 50,
/// with its total) as a rep, a team manager and a region manager, unfiltered and filtered to open deals closing before a
/// date; the baseline is the same query as an admin, whose visibility adds no condition. Then receivables: contracts,
/// plans and payments on the won deals (<see cref="ReceivablesLoad"/>) and <see cref="ContractQueries.ReceivablesAsync"/>
/// (what <c>GET /api/receivables</c> runs: totals per currency, count, page 1 of 50) by the same scopes, all unpaid
/// instalments and the overdue ones, against the admin's. Figures: docs/contracts-and-payments.md#benchmark.
/// </summary>
public sealed class DealListBenchmark : IBenchmark
{
    public string Name => "deals";

    public string Description => "deal lists by a rep's, a team and a region manager's scope vs an admin's unfiltered ones [--deals 1000000 --customers 200000 --queries 200]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var deals = options.Int("deals", 1_000_000);
        var customers = options.Int("customers", 200_000);
        var queries = options.Int("queries", 200);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}");
        SchemaInstaller.Apply(database, directory);
        Console.WriteLine($"deals: {deals:N0} deals on {customers:N0} customers, 111 units, 1,000 reps; {queries} queries per scope and filter, SQLite file {directory}");

        var started = Stopwatch.GetTimestamp();
        var company = await PopulateAsync(database, customers, deals);
        Console.WriteLine($"populated in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");

        var list = new DealQueries(database);
        var scopes = new (string Name, Visibility Visibility)[]
        {
            ("admin (baseline)", new Visibility(UserRole.Admin, "admin", "/")),
            ("region manager", new Visibility(UserRole.Manager, "m-r", company.RegionPath)),
            ("team manager", new Visibility(UserRole.Manager, "m-t", company.TeamPath)),
            ("rep", new Visibility(UserRole.Rep, company.RepId, company.TeamPath)),
        };
        var filters = new (string Name, DealFilter Filter)[]
        {
            ("all deals", new DealFilter(null, null, null, null, null, null)),
            ("open, closing soon", new DealFilter(null, null, "open", Closing, null, null)),
        };

        var runs = Enumerable.Range(0, queries).ToArray();
        var results = new List<(string Scope, string Filter, Latencies Latencies, long Total)>();
        foreach (var (name, visibility) in scopes)
        {
            foreach (var (filterName, filter) in filters)
            {
                var total = (await list.ListAsync(filter, visibility, 1, 50)).Total; // also warms the page cache
                results.Add((name, filterName, await Latencies.RunAsync(runs, 2, _ => list.ListAsync(filter, visibility, 1, 50)), total));
            }
        }

        Console.WriteLine();
        Print(results);

        started = Stopwatch.GetTimestamp();
        var (contracts, instalments) = await ReceivablesLoad.PopulateAsync(database, ReceivablesNow);
        Console.WriteLine();
        Console.WriteLine($"receivables: {contracts:N0} contracts with {instalments:N0} instalments loaded in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s;" +
            " ContractQueries.ReceivablesAsync (totals per currency, count, page 1 of 50) as GET /api/receivables runs it");
        var receivables = new ContractQueries(database);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(ReceivablesNow);
        var dueFilters = new (string Name, ReceivableFilter Filter)[] { ("all due", new ReceivableFilter()), ("overdue", new ReceivableFilter(Overdue: true)) };
        var dueResults = new List<(string Scope, string Filter, Latencies Latencies, long Total)>();
        foreach (var (name, visibility) in scopes)
        {
            foreach (var (filterName, filter) in dueFilters)
            {
                var total = (await receivables.ReceivablesAsync(filter, visibility, now, 1, 50)).Page.Total;
                dueResults.Add((name, filterName, await Latencies.RunAsync(runs, 2, _ => receivables.ReceivablesAsync(filter, visibility, now, 1, 50)), total));
            }
        }

        Console.WriteLine();
        Print(dueResults);

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Print(List<(string Scope, string Filter, Latencies Latencies, long Total)> results)
    {
        foreach (var (scope, filter, latencies, total) in results)
        {
            var baseline = results.First(r => r.Filter == filter).Latencies;
            Console.WriteLine($"{scope,-17} {filter,-19} sees {total,9:N0}  {latencies}   ratio p50 {latencies.Percentile(50) / baseline.Percentile(50),5:N2}x" +
                $"  p99 {latencies.Percentile(99) / baseline.Percentile(99),5:N2}x");
        }
    }

    private const long Epoch = 1_700_000_000_000L;

    /// <summary>The receivables' "now": 300 days into the 400 over which deals close and contracts are signed.</summary>
    private const long ReceivablesNow = Epoch + 300L * 86_400_000;

    /// <summary>Expected close dates spread over 400 days from <see cref="Epoch"/>; the filter takes the first 30.</summary>
    private const long Closing = Epoch + 30L * 86_400_000;

    private sealed record Company(string RegionPath, string TeamPath, string RepId);

    /// <summary>The org tree and customers as the visibility benchmark lays them out, then deals by the customers' owners (or a rep of their team).</summary>
    private static async Task<Company> PopulateAsync(CrmDatabase database, int customers, int deals)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var units = new List<(string Id, string? Parent, string Path)> { ("root", null, "/root/") };
        var teams = new List<string>();
        for (var r = 0; r < 10; r++)
        {
            units.Add(($"r{r}", "root", $"/root/r{r}/"));
            for (var t = 0; t < 10; t++)
            {
                units.Add(($"r{r}t{t}", $"r{r}", $"/root/r{r}/r{r}t{t}/"));
                teams.Add($"r{r}t{t}");
            }
        }

        await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@Id, @Id, @Parent, @Path, 0)",
            units.Select(u => new { u.Id, u.Parent, u.Path }), transaction);
        await connection.ExecuteAsync("INSERT INTO pools (id, name, org_unit_id, rules_json, created_ms, version) VALUES (@Id, @Id, @Unit, '{}', 0, 1)",
            units.Where(u => u.Parent is not null).Select(u => new { Id = "p-" + u.Id, Unit = u.Id }), transaction);
        await connection.ExecuteAsync("""
            INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
            VALUES (@Id, @Id, @Id, '', @Id, 'rep', @Team, 0)
            """, teams.SelectMany(t => Enumerable.Range(0, 10).Select(i => new { Id = $"{t}-rep{i}", Team = t })), transaction);

        var random = new Random(7);
        var people = Enumerable.Range(0, customers).Select(i =>
        {
            var team = teams[random.Next(teams.Count)];
            return (Id: Guid.NewGuid().ToString(), Team: team, Owner: random.Next(2) == 0 ? $"{team}-rep{random.Next(10)}" : null, Created: Epoch + i);
        }).ToList();
        await connection.ExecuteAsync("""
            INSERT INTO customers (id, name, stage, pool_id, owner_id, org_unit_id, created_ms, updated_ms, search, version)
            VALUES (@Id, @Id, 'opportunity', @Pool, @Owner, @Team, @Created, @Created, @Id, 1)
            """, people.Select(p => new { p.Id, Pool = "p-" + p.Team, p.Owner, p.Team, p.Created }), transaction);

        string[] statuses = ["open", "open", "open", "won", "lost"];
        var rows = Enumerable.Range(0, deals).Select(i =>
        {
            var customer = people[random.Next(people.Count)];
            var status = statuses[random.Next(statuses.Length)];
            var created = Epoch + i * 10L;
            return new
            {
                Id = $"d{i:D8}",
                Customer = customer.Id,
                Amount = random.Next(1_000, 500_000) * 10_000L,
                Rep = customer.Owner ?? $"{customer.Team}-rep{random.Next(10)}",
                Unit = customer.Team,
                Stage = status == "open" ? "intent" : "signing",
                Status = status,
                Close = Epoch + random.Next(400) * 86_400_000L,
                Created = created,
                Closed = status == "open" ? (long?)null : created + 1,
            };
        });
        await connection.ExecuteAsync("""
            INSERT INTO deals (id, customer_id, title, amount_e4, currency, rep_id, rep_unit_id, pipeline_id, stage_key, probability, status,
                               expected_close_ms, created_ms, updated_ms, closed_ms, lose_reason, version)
            VALUES (@Id, @Customer, 'Deal', @Amount, 'CNY', @Rep, @Unit, 'default', @Stage, 30, @Status, @Close, @Created, @Created, @Closed, NULL, 1)
            """, rows, transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("ANALYZE;");
        return new Company("/root/r3/", "/root/r3/r3t4/", "r3t4-rep2");
    }
}
