using System.Diagnostics;
using Crm.Grains.Common;
using Crm.Benchmarks.Common;
using Crm.Benchmarks.Storage;
using Crm.Client;
using Crm.Grains.Storage;
using Crm.Grains.Visits;
using Crm.Server.Api.FieldWork;
using Crm.Server.Permissions;
using Crm.Server.Storage;
using Dapper;

namespace Crm.Benchmarks.FieldWork;

/// <summary>
/// "Customers near me" over a million located customers, bulk-seeded by SQL into the read model: the server's query
/// through the spatial index (SQLite R*Tree or PostGIS GiST) against the same bounding box asked of the table without
/// an index on the coordinates (a scan), in the same run. Reports p50/p99 of each and the ratio.
/// </summary>
public sealed class NearbyBenchmark : IBenchmark
{
    // The customers are spread over a 1.5° x 1.5° square around Shanghai (about 145 x 165 km).
    private const double MinLat = 30.5, MinLon = 120.7, Span = 1.5;

    public string Name => "nearby";

    public string Description => "GET /api/customers/nearby's query over N located customers (--customers 1000000, --radius 1000, " +
        "--queries 500, --db sqlite|postgres, --postgres <conn>) vs a bounding-box scan without the spatial index";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var count = options.Int("customers", 1_000_000);
        var radius = options.Int("radius", 1000);
        var queries = options.Int("queries", 500);
        var onPostgres = options.String("db") == "postgres";
        await using var bench = onPostgres
            ? await BenchDatabase.PostgreSqlAsync(options.String("postgres") ?? Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES")
                ?? "Host=127.0.0.1;Port=5432;Username=crm;Password=crm;Database=crm_test")
            : BenchDatabase.Sqlite(SqliteDurability.Normal);
        SchemaInstaller.Apply(bench.Database, null);

        var seeding = Stopwatch.StartNew();
        await SeedAsync(bench.Database, count);
        Console.WriteLine($"nearby on {bench.Database.Provider}: {count:N0} located customers seeded in {seeding.Elapsed.TotalSeconds:N1} s; radius {radius} m");

        var random = new Random(42);
        var centers = Enumerable.Range(0, queries).Select(_ => (MinLat + 0.1 + random.NextDouble() * (Span - 0.2), MinLon + 0.1 + random.NextDouble() * (Span - 0.2))).ToList();
        var queriesApi = new FieldWorkQueries(bench.Database);
        var admin = new Visibility(UserRole.Admin, "admin", "/");
        var found = 0L;

        // Warm both paths (page cache, prepared plans), then measure one at a time: this is a latency figure.
        await queriesApi.NearbyAsync(centers[0].Item1, centers[0].Item2, radius, NearbyScope.All, admin, 50);
        var indexed = await Latencies.RunAsync(centers, 1, async c => found += (await queriesApi.NearbyAsync(c.Item1, c.Item2, radius, NearbyScope.All, admin, 50)).Total);
        var scanned = await Latencies.RunAsync(centers.Take(Math.Max(5, queries / 25)).ToList(), 1, c => ScanAsync(bench.Database, c.Item1, c.Item2, radius));

        // The visibility condition changes the plan: a manager sees the unit's million, a rep its own and the pool's third.
        var manager = new Visibility(UserRole.Manager, "mgr-bench", "/unit-bench/");
        var rep = new Visibility(UserRole.Rep, "rep-7", "/unit-bench/");
        var asManager = await Latencies.RunAsync(centers, 1, c => queriesApi.NearbyAsync(c.Item1, c.Item2, radius, NearbyScope.All, manager, 50));
        var repFound = 0L;
        var asRep = await Latencies.RunAsync(centers, 1, async c => repFound += (await queriesApi.NearbyAsync(c.Item1, c.Item2, radius, NearbyScope.All, rep, 50)).Total);

        Console.WriteLine($"  spatial index        {indexed}   ({found / (double)queries:N0} customers within the radius on average)");
        Console.WriteLine($"    as a manager       {asManager}");
        Console.WriteLine($"    as a rep           {asRep}   ({repFound / (double)queries:N0} visible within the radius on average)");
        Console.WriteLine($"  bounding-box scan    {scanned}");
        Console.WriteLine($"  p99 ratio scan/index {scanned.Percentile(99) / indexed.Percentile(99),8:N1}x   p50 ratio {scanned.Percentile(50) / indexed.Percentile(50),8:N1}x" +
            $"   target p99 < 10 ms: {(indexed.Percentile(99) < 10 ? "met" : "missed")}");
    }

    /// <summary>The same box asked of the plain table: no index on lat/lon, so every row is read.</summary>
    private static async Task<int> ScanAsync(CrmDatabase database, double lat, double lon, double radius)
    {
        var box = GeoMath.BoundingBox(lat, lon, radius);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Id, double Lat, double Lon)>("""
            SELECT c.id, l.lat, l.lon FROM customer_locations l JOIN customers c ON c.id = l.customer_id
            WHERE l.lat BETWEEN @MinLat AND @MaxLat AND l.lon BETWEEN @MinLon AND @MaxLon AND c.version > 0
            """, new { box.MinLat, box.MaxLat, box.MinLon, box.MaxLon });
        return rows.Count(r => GeoMath.DistanceMeters(lat, lon, r.Lat, r.Lon) <= radius);
    }

    /// <summary>Customers and their locations written by SQL in batches of 100,000 (ids are GUID-shaped numbers).</summary>
    private static async Task SeedAsync(CrmDatabase database, int count)
    {
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        var id = sqlite ? "printf('00000000-0000-0000-0000-%012d', i)" : "'00000000-0000-0000-0000-' || lpad(i::text, 12, '0')";
        var fraction = sqlite ? "((random() & 1048575) / 1048576.0)" : "random()";
        var series = sqlite
            ? "WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to - 1) SELECT i FROM n"
            : "SELECT generate_series(@from, @to - 1) AS i";
        await using var connection = await database.OpenAsync();
        // The unit and pool the customers belong to, so that a manager's and a rep's visibility conditions find them.
        await connection.ExecuteAsync("""
            INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES ('unit-bench', 'Bench', NULL, '/unit-bench/', 0);
            INSERT INTO pools (id, name, org_unit_id, rules_json, created_ms, version) VALUES ('pool-bench', 'Bench', 'unit-bench', '{}', 0, 1);
            """);
        for (var from = 0; from < count; from += 100_000)
        {
            var batch = new { from, to = Math.Min(count, from + 100_000), minLat = MinLat, minLon = MinLon, span = Span };
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync($"""
                INSERT INTO customers (id, name, stage, pool_id, owner_id, org_unit_id, created_ms, updated_ms, search, version)
                SELECT {id}, 'Customer ' || i, 'lead', 'pool-bench', CASE WHEN i % 3 = 0 THEN NULL ELSE 'rep-' || (i % 500) END, 'unit-bench', 0, 0, 'customer', 1
                FROM ({series}) s
                """, batch, transaction, commandTimeout: 600);
            await connection.ExecuteAsync($"""
                INSERT INTO customer_locations (customer_id, lat, lon, source, accuracy_m, set_ms, version)
                SELECT {id}, @minLat + {fraction} * @span, @minLon + {fraction} * @span, 'bench', 20, 0, 1
                FROM ({series}) s
                """, batch, transaction, commandTimeout: 600);
            await transaction.CommitAsync();
        }

        if (!sqlite)
        {
            await connection.ExecuteAsync("ANALYZE customers; ANALYZE customer_locations; ANALYZE org_units; ANALYZE pools", commandTimeout: 600);
        }
    }
}
