using System.Data.Common;
using System.Runtime.CompilerServices;
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
    private static readonly object Configured = new();

    /// <summary>The native SQLite connections whose settings are made (see <see cref="Configure"/>).</summary>
    private readonly ConditionalWeakTable<object, object> _configured = new();

    public CrmDatabase(DatabaseProvider provider, string connectionString, SqliteDurability durability = SqliteDurability.Normal)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteThreading.EnsureConfigured();
        }

        Provider = provider;
        Durability = durability;
        DataSource = new CrmDataSource(this);
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString()
            : connectionString;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>For SQLite: when a commit counts as stored (see <see cref="SqliteDurability"/>).</summary>
    public SqliteDurability Durability { get; }

    /// <summary>Opens connections configured like <see cref="OpenAsync"/>; handed to Orleans' ADO.NET providers.</summary>
    public DbDataSource DataSource { get; }

    /// <summary>The ADO.NET invariant Orleans' providers know this database by.</summary>
    public string OrleansInvariant => Provider == DatabaseProvider.Sqlite ? "System.Data.SQLite" : "Npgsql";

    public DbConnection CreateConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(ConnectionString)
        : new NpgsqlConnection(ConnectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        Configure(connection);
        return connection;
    }

    /// <summary>Opens synchronously, for code that runs on its own thread (the group-commit writer).</summary>
    /// <param name="pooled">
    /// False for a SQLite connection that must never be handed to anyone else: the writer keeps statements
    /// prepared on it, and SQLite in multi-thread mode lets only one thread touch a connection at a time.
    /// </param>
    public DbConnection Open(bool pooled = true)
    {
        var connection = pooled || Provider != DatabaseProvider.Sqlite
            ? CreateConnection()
            : new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        Configure(connection);
        return connection;
    }

    private void Configure(DbConnection connection)
    {
        // Per-connection settings: NORMAL is durable across a process crash in WAL mode, FULL across a power loss; the
        // busy timeout lets readers and the single writer share the file without "database is locked". They stay with
        // the native connection, which the pool hands out again and again: set once per native connection, not per
        // open (that was one extra statement on every read).
        if (connection is SqliteConnection { Handle: { } handle } sqlite && !_configured.TryGetValue(handle, out _))
        {
            using var pragma = sqlite.CreateCommand();
            pragma.CommandText = Durability == SqliteDurability.Full
                ? "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;"
                : "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            pragma.ExecuteNonQuery();
            _configured.AddOrUpdate(handle, Configured);
        }
    }
}
