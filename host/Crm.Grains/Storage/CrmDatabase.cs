using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Crm.Grains.Storage;

/// <summary>
/// The one database of a deployment: Orleans' tables and the read model live side by side in it.
/// Opens connections for either profile; SQL written against it sticks to the dialect both share
/// (ON CONFLICT upserts, LIMIT/OFFSET, lower(), ||).
/// </summary>
public sealed class CrmDatabase
{
    public CrmDatabase(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString()
            : connectionString;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The ADO.NET invariant Orleans' providers know this database by.</summary>
    public string OrleansInvariant => Provider == DatabaseProvider.Sqlite ? "System.Data.SQLite" : "Npgsql";

    public DbConnection CreateConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(ConnectionString)
        : new NpgsqlConnection(ConnectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        if (connection is SqliteConnection sqlite)
        {
            // Per-connection settings: NORMAL is durable across a process crash in WAL mode; the busy
            // timeout lets readers and the single writer share the file without "database is locked".
            using var pragma = sqlite.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            pragma.ExecuteNonQuery();
        }

        return connection;
    }
}
