using Crm.Grains.Dedup;
using Crm.Grains.Plugins;
using Crm.Sdk;

namespace Crm.Server.Plugins;

/// <summary>
/// The dedup index's view of the loaded plugins: strategies by name, each call through <see cref="StrategyRunner"/>
/// (time budget, fault counting). A strategy that faults answers no keys and no match, as the index expects.
/// </summary>
public sealed class PluginDedupStrategySource(IStrategyCatalog catalog, StrategyRunner runner) : IDedupStrategySource
{
    public IReadOnlyCollection<string> Names => catalog.DedupStrategyNames;

    public bool Exists(string name) => catalog.DedupStrategyNames.Contains(name);

    public async Task<IReadOnlyList<BlockingKey>> KeysAsync(string name, CustomerSnapshot customer) =>
        (await runner.KeysAsync(name, null, customer)).Value ?? [];

    public async Task<MatchResult?> CompareAsync(string name, CustomerSnapshot incoming, CustomerSnapshot existing) =>
        (await runner.CompareAsync(name, null, incoming, existing)).Value;
}
