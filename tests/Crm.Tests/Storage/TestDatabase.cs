using Crm.Grains.Storage;
using Crm.Server.Storage;
using Npgsql;

namespace Crm.Tests.Storage;

/// <summary>
/// A fresh, empty CRM database with its schema applied: a SQLite file in its own temp folder, or a new
/// database on the PostgreSQL server started by <c>scripts/postgres.sh</c>. Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>The server from <c>scripts/postgres.sh</c>; <c>CRM_TEST_POSTGRES</c> points elsewhere.</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=crm;Password=crm;Database=crm_test";

    private readonly string? _directory;
    private readonly string? _postgresName;

    private TestDatabase(CrmDatabase database, string? directory, string? postgresName)
    {
        Database = database;
        _directory = directory;
        _postgresName = postgresName;
    }

    public CrmDatabase Database { get; }

    /// <summary>The folder of the SQLite file (the server's data directory); null for PostgreSQL.</summary>
    public string? Directory => _directory;

    public static TestDatabase Create(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? CreateSqlite() : CreatePostgreSql();

    public static TestDatabase CreateSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var database = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "crm.db")}");
        SchemaInstaller.Apply(database, directory);
        return new TestDatabase(database, directory, null);
    }

    public static TestDatabase CreatePostgreSql()
    {
        var name = $"crm_storage_{Guid.NewGuid():N}";
        using (var admin = new NpgsqlConnection(PostgresServer))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ToString();
        var database = new CrmDatabase(DatabaseProvider.PostgreSql, connectionString);
        SchemaInstaller.Apply(database, null);
        return new TestDatabase(database, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            // Retried: FORCE cannot end an autovacuum worker that is briefly on the database (a CI run failed on it).
            await Crm.Tests.Infrastructure.PostgresDatabase.DropAsync(PostgresServer, _postgresName);
        }

        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a killed process's OS handle; the temp folder is cleaned later.
            }
        }
    }
}
