using System.Diagnostics;
using Npgsql;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of a test's own (initdb into a temporary directory, pg_ctl on a free port), so that the test may
/// stop and start it: the shared cluster of scripts/postgres.sh serves other tests at the same time and is never
/// stopped. As root it runs as the postgres user (initdb refuses root). Needs the binaries scripts/postgres.sh installs.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string User = "crm";
    private const string Database = "crm_outage";

    private readonly TempDirectory _root = new("crm-private-pg");

    private PrivatePostgres(string bin)
    {
        Bin = bin;
        Port = FreePort.Next();
    }

    public int Port { get; }

    private string Bin { get; }

    private string DataDirectory => Path.Combine(_root.Path, "data");

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Database={Database};Pooling=true";

    /// <summary>Settings that put a CRM server on this database.</summary>
    public Dictionary<string, string> ServerSettings() => new()
    {
        ["Crm__Storage__Provider"] = "PostgreSql",
        ["Crm__Storage__ConnectionString"] = ConnectionString,
    };

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL's initdb is not installed: run 'bash scripts/postgres.sh' (scripts/test.sh does).");
        }

        var pg = new PrivatePostgres(bin);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", "postgres:postgres", pg._root.Path);
        }

        await pg.RunPgAsync("initdb", "-D", pg.DataDirectory, "-U", User, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        await pg.StartServerAsync();
        await using (var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={pg.Port};Username={User};Database=postgres;Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return pg;
    }

    /// <summary>Starts the server (again) and waits until it accepts connections.</summary>
    public Task StartServerAsync() => RunPgAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_root.Path, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_root.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>The fast shutdown an operator or a failover does: sessions are ended, in-flight transactions rolled back.</summary>
    public Task StopServerAsync() => RunPgAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunPgAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        _root.Dispose();
    }

    private Task RunPgAsync(string tool, params string[] args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. args])
        : RunAsync(Path.Combine(Bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
