using System.Data.Common;
using System.Reflection;
using Crm.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Crm.Server.Storage;

/// <summary>
/// Applies the schema scripts of the configured database (Orleans' tables and queries, then the read
/// model) at start-up, in file-name order. Every script is idempotent, so this runs on every start.
/// </summary>
public static class SchemaInstaller
{
    // Two silos starting together on PostgreSQL must not run the scripts at the same time.
    private const long SchemaLockKey = 0x43524d5343484d41; // "CRMSCHMA"

    public static void Apply(CrmDatabase database, string? dataDirectory)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(database.ConnectionString, dataDirectory);
        }

        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            Execute(connection, $"SELECT pg_advisory_lock({SchemaLockKey})");
        }

        try
        {
            foreach (var script in Scripts(database.Provider))
            {
                Execute(connection, script);
            }
        }
        finally
        {
            if (database.Provider == DatabaseProvider.PostgreSql)
            {
                Execute(connection, $"SELECT pg_advisory_unlock({SchemaLockKey})");
            }
        }
    }

    /// <summary>The script texts for a database, in the order they are applied.</summary>
    public static IEnumerable<string> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(SchemaInstaller).Assembly;
        var prefix = $"{assembly.GetName().Name}.Storage.Schema.{provider}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return reader.ReadToEnd();
        }
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        command.ExecuteNonQuery();
    }

    private static void EnsureSqliteDirectory(string connectionString, string? dataDirectory)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? dataDirectory;
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
