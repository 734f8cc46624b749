using Npgsql;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database for one fixture, dropped afterwards. The server comes from
/// <c>scripts/postgres.sh</c> (the README test command runs it); <c>CRM_TEST_POSTGRES</c> may point elsewhere.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=crm;Password=crm;Database=crm_test";

    private PostgresDatabase(string adminConnectionString, string name)
    {
        AdminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    public string Name { get; }

    public string ConnectionString { get; }

    private string AdminConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("CRM_TEST_POSTGRES") ?? DefaultServer;
        var name = "crm_t_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{server}'. Run the tests with 'bash scripts/test.sh' (it installs and starts PostgreSQL), or set CRM_TEST_POSTGRES.", ex);
        }

        return new PostgresDatabase(server, name);
    }

    public ValueTask DisposeAsync() => new(DropAsync(AdminConnectionString, Name));

    /// <summary>Drops a test database, whoever is still connected to it.</summary>
    public static async Task DropAsync(string adminConnectionString, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // FORCE may not end a server-owned background worker (autovacuum) that is briefly on the
                // database; it leaves within moments.
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Settings that put a server on this database.</summary>
    public Dictionary<string, string> ServerSettings() => new()
    {
        ["Crm__Storage__Provider"] = "PostgreSql",
        ["Crm__Storage__ConnectionString"] = ConnectionString,
        // Silos of one cluster share the signing key, as docs/security.md tells operators to configure it.
        ["Crm__Auth__SigningKey"] = "a-cluster-test-signing-key-shared-by-all-silos",
    };
}
