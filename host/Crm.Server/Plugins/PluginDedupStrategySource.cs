using Crm.Grains.Dedup;
using Crm.Grains.Plugins;
using Crm.Sdk;

namespace Crm.Server.Plugins;

/// <summary>
/// The dedup index's view of the loaded plugins: strategies by name, each call through <see cref="StrategyRunner"/>
/// (time budget, fault counting). A strategy that faults answers no keys and no match, with the fault, so that the
/// gate can queue the customer for indexing instead of storing it without those keys silently.
/// </summary>
public sealed class PluginDedupStrategySource(IStrategyCatalog catalog, StrategyRunner runner) : IDedupStrategySource
{
    public IReadOnlyCollection<string> Names => catalog.DedupStrategyNames;

    public bool Exists(string name) => catalog.DedupStrategyNames.Contains(name);

    public async Task<StrategyAnswer<IReadOnlyList<BlockingKey>>> KeysAsync(string name, CustomerSnapshot customer)
    {
        var outcome = await runner.KeysAsync(name, null, customer);
        return new(outcome.Value ?? [], outcome.Succeeded ? null : string.Join("; ", outcome.Faults));
    }

    public async Task<StrategyAnswer<MatchResult?>> CompareAsync(string name, CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        var outcome = await runner.CompareAsync(name, null, incoming, existing);
        return new(outcome.Value, outcome.Succeeded ? null : string.Join("; ", outcome.Faults));
    }

    /// <summary>A batch's keys a few dozen customers per strategy call (<see cref="StrategyRunner.KeysManyAsync"/>).</summary>
    public Task<IReadOnlyList<StrategyAnswer<IReadOnlyList<BlockingKey>>>> KeysManyAsync(string name, IReadOnlyList<CustomerSnapshot> customers) =>
        runner.KeysManyAsync(name, customers);

    /// <summary>
    /// A lead's candidates a few dozen per strategy call (<see cref="StrategyRunner.ComparisonsPerCall"/>): an import
    /// compares each lead with up to 200 customers, and a call per comparison cost more than the comparisons.
    /// </summary>
    public Task<IReadOnlyList<StrategyAnswer<MatchResult?>>> CompareManyAsync(string name, CustomerSnapshot incoming, IReadOnlyList<CustomerSnapshot> existing) =>
        runner.CompareManyAsync(name, incoming, existing);
}
