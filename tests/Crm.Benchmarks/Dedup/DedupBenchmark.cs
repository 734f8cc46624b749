using Crm.Grains.Pools;
using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Storage;
using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;
using Crm.Tests.Dedup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Crm.Benchmarks.Dedup;

/// <summary>
/// Duplicate checks at entry. Loads N existing customers into the sharded dedup index (grains on a SQLite file),
/// then checks M incoming leads of which 10% are disguised duplicates (other legal form, branch words, region,
/// full-width text, typos, phone and e-mail formats): throughput, p50/p99 per lead, precision/recall, resident
/// memory. Baseline in the same run: the same check as SQL on PostgreSQL (exact keys + pg_trgm similarity on the
/// core name, GIN trigram index), with the keys normalized by the same code.
/// </summary>
public sealed class DedupBenchmark : IBenchmark
{
    private static readonly DedupPolicy Rule = new(["identity-keys", "company-name"], "block");

    public string Name => "dedup";

    public string Description => "dedup checks on the sharded index vs SQL + pg_trgm on PostgreSQL [--existing 50000 --incoming 10000 --in-flight 16 --trgm 0.6 --pg <conn>]";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var existingCount = options.Int("existing", 50_000);
        var incomingCount = options.Int("incoming", 10_000);
        var inFlight = options.Int("in-flight", 16);
        var trgm = double.Parse(options.String("trgm") ?? "0.6", System.Globalization.CultureInfo.InvariantCulture);
        var pg = options.String("pg") ?? Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=crm;Password=crm;Database=crm_test";
        Console.WriteLine($"dedup: {existingCount:N0} existing customers, {incomingCount:N0} incoming leads (10% disguised duplicates), {inFlight} in flight, {Environment.ProcessorCount} cores");

        var watch = Stopwatch.StartNew();
        var generator = new CompanyGenerator(seed: 7);
        var companies = new List<Company>(existingCount);
        var existing = new List<CustomerSnapshot>(existingCount);
        for (var i = 0; i < existingCount; i++)
        {
            companies.Add(generator.Next());
            existing.Add(generator.Original(companies[i], Guid.NewGuid().ToString()));
        }

        var random = new Random(11);
        var incoming = new List<(CustomerSnapshot Lead, string? Truth)>(incomingCount);
        for (var i = 0; i < incomingCount; i++)
        {
            if (i % 10 == 0)
            {
                var j = random.Next(existingCount);
                incoming.Add((generator.Disguise(companies[j], Guid.NewGuid().ToString()), existing[j].Id));
            }
            else
            {
                incoming.Add((generator.Original(generator.Next(), Guid.NewGuid().ToString()), null));
            }
        }

        Console.WriteLine($"generated in {watch.Elapsed.TotalSeconds:N1} s");
        var grains = await RunGrainsAsync(existing, incoming, inFlight);
        var sql = await RunSqlAsync(pg, existing, incoming, inFlight, trgm);

        Console.WriteLine();
        Console.WriteLine("sharded DedupIndexGrain (Orleans, SQLite-backed), standard strategies:");
        Console.WriteLine($"  load   {grains.Load.TotalSeconds,6:N1} s for {existingCount:N0} customers ({grains.Entries:N0} key entries in {grains.Shards} shards)");
        Console.WriteLine($"  check  {grains.Checks}");
        Console.WriteLine($"  precision {grains.Precision:0.0000}  recall {grains.Recall:0.0000}  resident memory {grains.ResidentMb:N0} MB (process, after checks)");
        Console.WriteLine($"baseline: SQL on PostgreSQL (exact keys + pg_trgm similarity >= {trgm} on the core name):");
        Console.WriteLine($"  load   {sql.Load.TotalSeconds,6:N1} s (COPY + indexes)");
        Console.WriteLine($"  check  {sql.Checks}");
        Console.WriteLine($"  precision {sql.Precision:0.0000}  recall {sql.Recall:0.0000}  database size {sql.ResidentMb:N0} MB");
        Console.WriteLine();
        Console.WriteLine($"ratio index/SQL: throughput {grains.Checks.PerSecond / sql.Checks.PerSecond:N2}x, p99 {grains.Checks.Percentile(99) / sql.Checks.Percentile(99):N2}x, " +
                          $"p50 {grains.Checks.Percentile(50) / sql.Checks.Percentile(50):N2}x");
    }

    private sealed record Figures(TimeSpan Load, long Entries, int Shards, Latencies Checks, double Precision, double Recall, double ResidentMb);

    private static async Task<Figures> RunGrainsAsync(IReadOnlyList<CustomerSnapshot> existing, IReadOnlyList<(CustomerSnapshot Lead, string? Truth)> incoming, int inFlight)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-dedup-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}");
        var source = new DirectDedupStrategySource([new IdentityKeysStrategy(), new CompanyNameStrategy()]);
        await using var silo = await BenchSilo.StartAsync(database, services: services => services.AddSingleton<IDedupStrategySource>(source));
        var shards = silo.Services.GetRequiredService<IOptions<DedupOptions>>().Value.Shards;
        var gate = silo.Services.GetRequiredService<DedupGate>();

        // Bulk load: the keys the gate would commit, grouped per shard (the rebuild path), and the cards.
        var load = Stopwatch.StartNew();
        var keysByShard = new Dictionary<int, List<IndexEntry>>();
        var cardsByShard = new Dictionary<int, List<LeadCard>>();
        foreach (var customer in existing)
        {
            var id = Guid.Parse(customer.Id);
            foreach (var key in (await gate.KeysAsync(customer, Rule)).Keys)
            {
                var shard = DedupShards.Of(key, shards);
                (keysByShard.TryGetValue(shard, out var list) ? list : keysByShard[shard] = []).Add(new IndexEntry(key, id));
            }

            var cardShard = DedupShards.OfCustomer(id, shards);
            (cardsByShard.TryGetValue(cardShard, out var cards) ? cards : cardsByShard[cardShard] = []).Add(LeadCard.Of(customer));
        }

        // A few shards at a time: every chunk is one group-committed write on the single SQLite writer.
        var work = keysByShard.SelectMany(pair => pair.Value.Chunk(2_000).Select(chunk => (Func<Task>)(() => silo.Grains.GetGrain<IDedupIndexGrain>(pair.Key).CommitMany(chunk))))
            .Concat(cardsByShard.SelectMany(pair => pair.Value.Chunk(1_000).Select(chunk => (Func<Task>)(() => silo.Grains.GetGrain<IDedupIndexGrain>(pair.Key).PutCards(chunk)))))
            .ToList();
        await Latencies.RunAsync(work, 4, step => step());
        load.Stop();
        var entries = keysByShard.Values.Sum(l => (long)l.Count);

        var results = new (string? Truth, HashSet<string> Found)[incoming.Count];
        var index = incoming.Select((item, i) => (item, i)).ToList();
        var checks = await Latencies.RunAsync(index, inFlight, async x =>
        {
            var decision = await gate.CheckAsync(x.item.Lead, Rule);
            results[x.i] = (x.item.Truth, decision.Matches.Select(m => m.CustomerId.ToString()).ToHashSet());
        });

        var (precision, recall) = Score(results);
        var resident = Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0;
        TryDelete(directory);
        return new Figures(load.Elapsed, entries, shards, checks, precision, recall, resident);
    }

    private static async Task<Figures> RunSqlAsync(string connectionString, IReadOnlyList<CustomerSnapshot> existing,
        IReadOnlyList<(CustomerSnapshot Lead, string? Truth)> incoming, int inFlight, double threshold)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString);
        var databaseName = "crm_bench_dedup_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {databaseName}", connection).ExecuteNonQueryAsync();
        }

        var bench = new NpgsqlConnectionStringBuilder(connectionString) { Database = databaseName, MaxPoolSize = inFlight + 2 }.ConnectionString;
        var phones = new PhoneNormalizer();
        try
        {
            var load = Stopwatch.StartNew();
            await using (var connection = new NpgsqlConnection(bench))
            {
                await connection.OpenAsync();
                await new NpgsqlCommand("""
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                    CREATE TABLE bench_customers (id uuid PRIMARY KEY, tax_id text, phone text, email text, core_name text);
                    """, connection).ExecuteNonQueryAsync();
                await using (var copy = await connection.BeginBinaryImportAsync("COPY bench_customers (id, tax_id, phone, email, core_name) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var c in existing)
                    {
                        var keys = Normalize(c, phones);
                        await copy.StartRowAsync();
                        await copy.WriteAsync(Guid.Parse(c.Id), NpgsqlDbType.Uuid);
                        await WriteAsync(copy, keys.Tax);
                        await WriteAsync(copy, keys.Phone);
                        await WriteAsync(copy, keys.Email);
                        await WriteAsync(copy, keys.Core);
                    }

                    await copy.CompleteAsync();
                }

                await new NpgsqlCommand("""
                    CREATE INDEX ON bench_customers (tax_id);
                    CREATE INDEX ON bench_customers (phone);
                    CREATE INDEX ON bench_customers (email);
                    CREATE INDEX ON bench_customers USING gin (core_name gin_trgm_ops);
                    ANALYZE bench_customers;
                    """, connection) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
            }

            load.Stop();
            var sql = $"""
                SET pg_trgm.similarity_threshold = {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)};
                SELECT id FROM bench_customers WHERE tax_id = @tax
                UNION SELECT id FROM bench_customers WHERE phone = @phone
                UNION SELECT id FROM bench_customers WHERE email = @email
                UNION SELECT id FROM bench_customers WHERE core_name % @core
                """;
            await using var dataSource = NpgsqlDataSource.Create(bench);
            var results = new (string? Truth, HashSet<string> Found)[incoming.Count];
            var index = incoming.Select((item, i) => (item, i)).ToList();
            var checks = await Latencies.RunAsync(index, inFlight, async x =>
            {
                // The lead's keys are normalized in the application, as the index path does.
                var keys = Normalize(x.item.Lead, phones);
                await using var command = dataSource.CreateCommand(sql);
                command.Parameters.AddWithValue("tax", (object?)keys.Tax ?? DBNull.Value);
                command.Parameters.AddWithValue("phone", (object?)keys.Phone ?? DBNull.Value);
                command.Parameters.AddWithValue("email", (object?)keys.Email ?? DBNull.Value);
                command.Parameters.AddWithValue("core", (object?)keys.Core ?? DBNull.Value);
                var found = new HashSet<string>();
                await using var reader = await command.ExecuteReaderAsync();
                do
                {
                    while (await reader.ReadAsync())
                    {
                        found.Add(reader.GetGuid(0).ToString());
                    }
                }
                while (await reader.NextResultAsync());

                results[x.i] = (x.item.Truth, found);
            });

            long size;
            await using (var connection = new NpgsqlConnection(bench))
            {
                await connection.OpenAsync();
                size = (long)(await new NpgsqlCommand("SELECT pg_database_size(current_database())", connection).ExecuteScalarAsync())!;
            }

            var (precision, recall) = Score(results);
            return new Figures(load.Elapsed, existing.Count, 1, checks, precision, recall, size / 1024.0 / 1024.0);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", connection).ExecuteNonQueryAsync();
        }
    }

    private static (string? Tax, string? Phone, string? Email, string? Core) Normalize(CustomerSnapshot c, PhoneNormalizer phones) =>
        (TaxId.Parse(c.TaxId)?.Value, phones.ToE164(c.Phone), EmailNormalizer.Normalize(c.Email), CompanyName.Parse(c.Company ?? c.Name)?.Key);

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text);
        }
    }

    /// <summary>Pairwise precision and recall: each lead's found customers against its true duplicate (or none).</summary>
    private static (double Precision, double Recall) Score(IEnumerable<(string? Truth, HashSet<string> Found)> results)
    {
        long tp = 0, fp = 0, fn = 0;
        foreach (var (truth, found) in results)
        {
            var hit = truth is not null && found.Contains(truth);
            tp += hit ? 1 : 0;
            fn += truth is not null && !hit ? 1 : 0;
            fp += found.Count - (hit ? 1 : 0);
        }

        return (tp + fp == 0 ? 1 : tp / (double)(tp + fp), tp + fn == 0 ? 1 : tp / (double)(tp + fn));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
