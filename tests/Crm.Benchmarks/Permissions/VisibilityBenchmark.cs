using System.Diagnostics;
using Crm.Grains.Common;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Grains.Storage;
using Crm.Server.Api.Customers;
using Crm.Server.Permissions;
using Crm.Server.Storage;
using Dapper;

namespace Crm.Benchmarks.Permissions;

/// <summary>
/// The price of the data permissions on the read model: a company of 10 regions × 10 teams × 10 reps with N
/// customers in the SQLite read model, then customer lists (page 1) and text searches as a rep, a team manager
/// and a region manager. The baseline is the same queries as an admin, whose visibility adds no condition.
/// </summary>
public sealed class VisibilityBenchmark : IBenchmark
{
    public string Name => "visibility";

    public string Description => "customer lists and searches filtered by the caller's org scope vs an admin's unfiltered ones [--customers 200000 --queries 400]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var customers = options.Int("customers", 200_000);
        var queries = options.Int("queries", 400);
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}");
        SchemaInstaller.Apply(database, directory);
        Console.WriteLine($"visibility: {customers:N0} customers, 111 units, 110 pools, 1,000 reps; {queries} queries per scope, SQLite file {directory}");

        var started = Stopwatch.GetTimestamp();
        var company = await PopulateAsync(database, customers);
        Console.WriteLine($"populated in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s");

        var search = new CustomerQueries(database);
        var scopes = new (string Name, Visibility Visibility)[]
        {
            ("admin (baseline)", new Visibility(UserRole.Admin, "admin", "/")),
            ("region manager", new Visibility(UserRole.Manager, "m-r", company.RegionPath)),
            ("team manager", new Visibility(UserRole.Manager, "m-t", company.TeamPath)),
            ("rep", new Visibility(UserRole.Rep, company.RepId, company.TeamPath)),
        };

        var words = Enumerable.Range(0, queries).Select(i => $"acme {i % 97}").ToArray();
        var results = new List<(string Scope, Latencies List, Latencies Search, long Total)>();
        foreach (var (name, visibility) in scopes)
        {
            await search.SearchAsync(new CustomerFilter(), visibility, 1, 50); // warm the page cache
            var list = await Latencies.RunAsync(words, 2, _ => search.SearchAsync(new CustomerFilter(), visibility, 1, 50));
            var found = await Latencies.RunAsync(words, 2, word => search.SearchAsync(new CustomerFilter { Query = word }, visibility, 1, 50));
            var total = (await search.SearchAsync(new CustomerFilter(), visibility, 1, 1)).Total;
            results.Add((name, list, found, total));
        }

        Console.WriteLine();
        var baseline = results[0];
        foreach (var (scope, list, found, total) in results)
        {
            Console.WriteLine($"{scope,-18} sees {total,9:N0}");
            Console.WriteLine($"  list page 1   {list}   ratio p50 {list.Percentile(50) / baseline.List.Percentile(50),5:N2}x");
            Console.WriteLine($"  text search   {found}   ratio p50 {found.Percentile(50) / baseline.Search.Percentile(50),5:N2}x");
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record Company(string RegionPath, string TeamPath, string RepId);

    /// <summary>Root → 10 regions → 10 teams each; a pool per region and per team; 10 reps per team; customers spread over the team pools, half owned.</summary>
    private static async Task<Company> PopulateAsync(CrmDatabase database, int customers)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var units = new List<(string Id, string? Parent, string Path)> { ("root", null, "/root/") };
        var teams = new List<(string Id, string Path)>();
        for (var r = 0; r < 10; r++)
        {
            units.Add(($"r{r}", "root", $"/root/r{r}/"));
            for (var t = 0; t < 10; t++)
            {
                units.Add(($"r{r}t{t}", $"r{r}", $"/root/r{r}/r{r}t{t}/"));
                teams.Add(($"r{r}t{t}", $"/root/r{r}/r{r}t{t}/"));
            }
        }

        await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@Id, @Id, @Parent, @Path, 0)",
            units.Select(u => new { u.Id, u.Parent, u.Path }), transaction);
        await connection.ExecuteAsync("INSERT INTO pools (id, name, org_unit_id, rules_json, created_ms, version) VALUES (@Id, @Id, @Unit, '{}', 0, 1)",
            units.Where(u => u.Parent is not null).Select(u => new { Id = "p-" + u.Id, Unit = u.Id }), transaction);
        var reps = teams.SelectMany(t => Enumerable.Range(0, 10).Select(i => (Id: $"{t.Id}-rep{i}", Team: t.Id))).ToList();
        await connection.ExecuteAsync("""
            INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
            VALUES (@Id, @Id, @Id, '', @Id, 'rep', @Team, 0)
            """, reps.Select(r => new { r.Id, r.Team }), transaction);

        var random = new Random(7);
        var rows = Enumerable.Range(0, customers).Select(i =>
        {
            var team = teams[random.Next(teams.Count)];
            var owner = random.Next(2) == 0 ? $"{team.Id}-rep{random.Next(10)}" : null;
            var name = $"Customer {i} Acme {i % 97} Trading";
            return new
            {
                Id = Guid.NewGuid().ToString(),
                Name = name,
                Pool = "p-" + team.Id,
                Owner = owner,
                Unit = team.Id,
                Created = 1_700_000_000_000L + i,
                Search = name.ToLowerInvariant(),
            };
        });
        await connection.ExecuteAsync("""
            INSERT INTO customers (id, name, stage, pool_id, owner_id, org_unit_id, created_ms, updated_ms, search, version)
            VALUES (@Id, @Name, 'lead', @Pool, @Owner, @Unit, @Created, @Created, @Search, 1)
            """, rows, transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("ANALYZE;");
        return new Company("/root/r3/", "/root/r3/r3t4/", "r3t4-rep2");
    }
}
