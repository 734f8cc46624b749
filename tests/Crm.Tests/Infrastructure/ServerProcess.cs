using System.Collections.Concurrent;
using System.Diagnostics;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// The real server, started as its own process on a real Kestrel port, exactly as an operator runs it.
/// Can be stopped gracefully, killed with SIGKILL and started again over the same database.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "Operator-Passw0rd!";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly Dictionary<string, string> _settings;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ServerProcess(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        HttpPort = FreePort.Next();
        _settings = new Dictionary<string, string>
        {
            ["Crm__Storage__DataDirectory"] = dataDirectory,
            ["Crm__Admin__Password"] = AdminPassword,
            ["Crm__Cluster__SiloPort"] = FreePort.Next().ToString(),
            ["Crm__Cluster__GatewayPort"] = FreePort.Next().ToString(),
            // Many tests sign in from 127.0.0.1 on one server; the sign-in throttle has its own tests (Auth/).
            ["Crm__Auth__Login__PerAddressPerMinute"] = "1000000",
            ["Crm__Auth__Login__PerUserNamePerMinute"] = "1000000",
            // Likewise the reps' duplicate checks and note previews (Permissions/LeastDisclosureTests has them tight).
            ["Crm__Lookups__PerRepPerMinute"] = "100000",
            // The HTTP tests' worlds are laid out on fixed past dates (TargetsWorld: November 2025) against the server's
            // wall clock; how far back a daily report may be asked has its own fake-clock tests (DailyReportDatesTests).
            ["Crm__DailyReports__MaxDaysBack"] = "36600",
            // Fixtures hold their tokens for the whole run; the token lifetime has its own tests (Auth/TokenTests).
            ["Crm__Auth__AccessTokenLifetime"] = "12:00:00",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Orleans"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public int HttpPort { get; }

    /// <summary>The Orleans silo-to-silo port (cluster tests probe it).</summary>
    public int SiloPort => int.Parse(_settings["Crm__Cluster__SiloPort"]);

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Everything the server printed (stdout and stderr), for assertions on logs and for failure messages.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>The operating system's id of the running server process (benchmarks pin it to a core).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>CPU time (user and kernel) the running server has used so far; zero before it starts.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            if (_process is null)
            {
                return TimeSpan.Zero;
            }

            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        var server = new ServerProcess(dataDirectory, settings);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (!File.Exists(RepoPaths.ServerDll))
        {
            throw new InvalidOperationException($"The server is not built: {RepoPaths.ServerDll} is missing. Run 'dotnet build Crm.sln'.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.ServerDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.ServerDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        // Generous: a start after a kill -9 replays the write-ahead log and recovers the outbox, and CI machines are slow.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{string.Join('\n', _output.TakeLast(60))}");
            }

            try
            {
                var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The server did not become healthy in {StartTimeout.TotalSeconds} s:\n{string.Join('\n', _output.TakeLast(60))}");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or a pulled plug on the process.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to end on its own (a crash, or a test hook that kills it); false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return true;
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM and wait: the graceful stop an operator does.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            await term.WaitForExitAsync();
            if (!_process.WaitForExit(30_000))
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
    }

    public CrmApi Api() => new(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
