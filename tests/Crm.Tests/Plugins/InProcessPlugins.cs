using Crm.Client;
using Crm.Grains.Plugins;
using Crm.Server.Plugins;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Crm.Tests.Plugins;

/// <summary>The server's plugin host and strategy runner over a real plugins directory, without the rest of the server.</summary>
public sealed class InProcessPlugins : IDisposable
{
    /// <param name="budgetMs">
    /// A strategy call's budget. Generous unless a test is about the budget (and then says so): a plugin's first call
    /// compiles its code, and under the full suite on 2 cores it ran past 300 ms and failed a test about something else.
    /// </param>
    public InProcessPlugins(PluginDirectory directory, int budgetMs = 10_000, int maxCallsPastBudget = 4)
    {
        var options = Options.Create(new PluginOptions { Directory = directory.Path, CallTimeoutMilliseconds = budgetMs, MaxCallsPastBudget = maxCallsPastBudget });
        Host = new PluginHost(new PluginFolderLoader(options), options, TimeProvider.System, NullLogger<PluginHost>.Instance);
        Host.Reload();
        Runner = new StrategyRunner(Host,
            new StrategyCallOptions { Budget = TimeSpan.FromMilliseconds(budgetMs), MaxCallsPastBudget = maxCallsPastBudget },
            NullLogger<StrategyRunner>.Instance);
    }

    public PluginHost Host { get; }

    public StrategyRunner Runner { get; }

    public PluginDto Plugin(string folder) => Host.Describe().Items.Single(p => p.Folder == folder);

    public void Dispose() => Host.Dispose();
}
