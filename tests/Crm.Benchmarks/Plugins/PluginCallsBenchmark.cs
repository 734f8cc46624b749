using System.Diagnostics;
using Crm.Benchmarks.Common;
using Crm.Grains.Plugins;
using Crm.Sdk;
using Crm.Server.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks.Plugins;

/// <summary>
/// The cost of the plugin adapter: the standard <c>least-loaded</c> strategy, loaded from the server's plugins folder,
/// called directly (baseline) and through <see cref="StrategyRunner"/> (lease, thread-pool hop, time budget, answer
/// check), one call at a time and with many in flight.
/// </summary>
public sealed class PluginCallsBenchmark : IBenchmark
{
    public string Name => "plugin-calls";

    public string Description => "strategy calls through the plugin adapter vs direct calls (--calls N --reps N --inflight N)";

    public async Task RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var calls = options.Int("calls", 100_000);
        var reps = options.Int("reps", 100);
        var inFlight = options.Int("inflight", 32);

        var directory = PluginsDirectory();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddCrmPlugins(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Crm:Plugins:Directory"] = directory,
            }).Build())
            .BuildServiceProvider();
        var host = services.GetRequiredService<PluginHost>();
        host.Reload();
        var runner = services.GetRequiredService<StrategyRunner>();

        var request = new AssignmentRequest
        {
            Lead = new CustomerSnapshot { Id = Guid.NewGuid().ToString(), Name = "Li Wei" },
            Candidates = Enumerable.Range(0, reps).Select(i => new RepCandidate { RepId = $"rep-{i:D4}", OwnedCount = (i * 37) % 200, Capacity = 500 }).ToList(),
            Pool = new PoolContext { PoolId = "pool" },
            Now = DateTimeOffset.UtcNow,
        };
        var items = Enumerable.Range(0, calls).ToList();
        Console.WriteLine($"plugin-calls: least-loaded from {directory}, {calls:N0} calls, {reps} candidates, {Environment.ProcessorCount} cores");

        // Warm-up, then the baseline: the same strategy object called directly, no adapter.
        await runner.ChooseAsync("least-loaded", "round-robin", request);
        using (var lease = host.RentAssignment("least-loaded")!)
        {
            var direct = await Latencies.RunAsync(items, 1, _ => { lease.Strategy.Choose(request); return Task.CompletedTask; });
            var adapted = await Latencies.RunAsync(items, 1, _ => runner.ChooseAsync("least-loaded", "round-robin", request));
            var concurrent = await Latencies.RunAsync(items, inFlight, _ => runner.ChooseAsync("least-loaded", "round-robin", request));
            Console.WriteLine($"  direct call           {direct}");
            Console.WriteLine($"  adapter, 1 in flight  {adapted}");
            Console.WriteLine($"  adapter, {inFlight,2} in flight {concurrent}");
            Console.WriteLine($"  ratio adapter/direct (time per call, 1 in flight): {direct.PerSecond / adapted.PerSecond:N2}x");
            Console.WriteLine($"  ratio adapter {inFlight} in flight / direct (throughput): {concurrent.PerSecond / direct.PerSecond:N2}x");
        }

        host.Dispose();
    }

    private static string PluginsDirectory()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // bin/<Configuration>/net10.0
        for (var dir = bin; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Crm.sln")))
            {
                return Path.Combine(dir.FullName, "host", "Crm.Server", "bin", bin.Parent!.Name, "net10.0", "plugins");
            }
        }

        throw new InvalidOperationException("Crm.sln not found above " + AppContext.BaseDirectory);
    }
}
