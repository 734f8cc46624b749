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

    /// <summary>How long a write may wait for the database by default (<see cref="Timeout"/>).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public CrmDatabase(DatabaseProvider provider, string connectionString, SqliteDurability durability = SqliteDurability.Normal, TimeSpan? timeout = null)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteThreading.EnsureConfigured();
        }

        Provider = provider;
        Durability = durability;
        Timeout = timeout is { } t && t > TimeSpan.Zero ? t : DefaultTimeout;
        DataSource = new CrmDataSource(this);
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString()
            : connectionString;
        // Microsoft.Data.Sqlite retries a busy statement until the command timeout (30 s unless set): ours wait at most
        // Timeout. Npgsql: a connection attempt to a server that does not answer gives up after Timeout too.
        var seconds = Math.Max(1, (int)Math.Ceiling(Timeout.TotalSeconds));
        _boundedConnectionString = provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(ConnectionString) { DefaultTimeout = seconds }.ToString()
            : new NpgsqlConnectionStringBuilder(connectionString) { Timeout = seconds, MaxAutoPrepare = AutoPrepared }.ToString();
    }

    private readonly string _boundedConnectionString;

    // PostgreSQL plans a statement once per connection after it has run a few times (Npgsql's automatic preparation),
    // also inside the writer's batches, which cannot be prepared by hand: the same few statements run thousands of times.
    private const int AutoPrepared = 64;

    public DatabaseProvider Provider { get; }

    /// <summary>
    /// The bound on one write's wait while the database is away: the group-commit writer's connect, lock (SQLite busy
    /// timeout) and command timeouts, and how long a write may sit in its queue before it fails unwritten.
    /// </summary>
    public TimeSpan Timeout { get; }

    public string ConnectionString { get; }

    /// <summary>For SQLite: when a commit counts as stored (see <see cref="SqliteDurability"/>).</summary>
    public SqliteDurability Durability { get; }

    /// <summary>Opens connections configured like <see cref="OpenAsync"/>; handed to Orleans' ADO.NET providers.</summary>
    public DbDataSource DataSource { get; }

    /// <summary>The ADO.NET invariant Orleans' providers know this database by.</summary>
    public string OrleansInvariant => Provider == DatabaseProvider.Sqlite ? "System.Data.SQLite" : "Npgsql";

    /// <summary>A connection whose waits are bounded by <see cref="Timeout"/>.</summary>
    public DbConnection CreateConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(_boundedConnectionString)
        : new NpgsqlConnection(_boundedConnectionString);

    /// <summary>A connection as Orleans' own providers get it: <see cref="ConnectionString"/> with its default timeouts.</summary>
    internal DbConnection CreateOrleansConnection() => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(ConnectionString)
        : new NpgsqlConnection(ConnectionString);

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(forOrleans: false, cancellationToken);

    /// <summary>
    /// Orleans' own providers (reminders, clustering, the ADO.NET grain storage) wait for a SQLite lock as long as they
    /// always did: their start-up reads must not fail on a busy file. Our requests wait at most <see cref="Timeout"/>.
    /// </summary>
    private static readonly TimeSpan OrleansBusyTimeout = TimeSpan.FromSeconds(30);

    internal async Task<DbConnection> OpenAsync(bool forOrleans, CancellationToken cancellationToken)
    {
        var connection = forOrleans ? CreateOrleansConnection() : CreateConnection();
        await connection.OpenAsync(cancellationToken);
        Configure(connection, forOrleans ? OrleansBusyTimeout : Timeout);
        return connection;
    }

    /// <summary>Opens synchronously, for code that runs on its own thread (the group-commit writer).</summary>
    /// <param name="pooled">
    /// False for a SQLite connection that must never be handed to anyone else: the writer keeps statements
    /// prepared on it, and SQLite in multi-thread mode lets only one thread touch a connection at a time.
    /// </param>
    public DbConnection Open(bool pooled = true) => Open(pooled, forOrleans: false);

    internal DbConnection Open(bool pooled, bool forOrleans)
    {
        var connection = forOrleans ? CreateOrleansConnection()
            : pooled || Provider != DatabaseProvider.Sqlite ? CreateConnection()
            : new SqliteConnection(new SqliteConnectionStringBuilder(_boundedConnectionString) { Pooling = false }.ToString());
        connection.Open();
        Configure(connection, forOrleans ? OrleansBusyTimeout : Timeout);
        return connection;
    }

    /// <summary>
    /// The group-commit writer's connection: its own (never pooled with others on SQLite), and every wait on it bounded
    /// by <see cref="Timeout"/>, so a write fails in bounded time when the database is away instead of hanging.
    /// </summary>
    public DbConnection OpenWriter()
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(Timeout.TotalSeconds));
        if (Provider == DatabaseProvider.PostgreSql)
        {
            var bounded = new NpgsqlConnectionStringBuilder(_boundedConnectionString) { CommandTimeout = seconds };
            var pg = new NpgsqlConnection(bounded.ToString());
            pg.Open();
            return pg;
        }

        return Open(pooled: false);
    }

    private void Configure(DbConnection connection, TimeSpan busyTimeout)
    {
        // Per-connection settings: NORMAL is durable across a process crash in WAL mode, FULL across a power loss; the
        // busy timeout lets readers and the single writer share the file without "database is locked" and bounds the wait
        // when another process holds the file's write lock (ours: Timeout; Orleans' providers: 30 s, their own pool). They stay with
        // the native connection, which the pool hands out again and again: set once per native connection, not per
        // open (that was one extra statement on every read).
        if (connection is SqliteConnection { Handle: { } handle } sqlite && !_configured.TryGetValue(handle, out _))
        {
            using var pragma = sqlite.CreateCommand();
            pragma.CommandText = $"PRAGMA synchronous={(Durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={(int)busyTimeout.TotalMilliseconds};";
            pragma.ExecuteNonQuery();
            _configured.AddOrUpdate(handle, Configured);
        }
    }
}
