using Crm.Grains.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Crm.Benchmarks.Storage;

/// <summary>A fresh database for one benchmark run: a SQLite file in a temp folder, or a new PostgreSQL database. Removed on dispose.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _server;
    private readonly string? _name;

    private BenchDatabase(CrmDatabase database, string? directory, string? server, string? name)
    {
        Database = database;
        _directory = directory;
        _server = server;
        _name = name;
    }

    public CrmDatabase Database { get; }

    public static BenchDatabase Sqlite(SqliteDurability durability)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return new BenchDatabase(new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}", durability), directory, null, null);
    }

    /// <param name="server">A connection string to a PostgreSQL server whose user may create databases.</param>
    public static async Task<BenchDatabase> PostgreSqlAsync(string server)
    {
        var name = "crm_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        // PostgreSQL serves 100 connections by default and other clients share it: keep our pool well below.
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 40 }.ToString();
        return new BenchDatabase(new CrmDatabase(DatabaseProvider.PostgreSql, connectionString), null, server, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
