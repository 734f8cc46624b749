using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>
/// Strategies called in-process without a time budget: for benchmarks and grain tests that hand strategy objects in
/// directly. The server uses the plugin host's source instead, which contains faults and slow plugins.
/// </summary>
public sealed class DirectDedupStrategySource(IEnumerable<IDedupStrategy> strategies) : IDedupStrategySource
{
    private readonly Dictionary<string, IDedupStrategy> _byName = strategies.ToDictionary(s => s.Name);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public bool Exists(string name) => _byName.ContainsKey(name);

    public Task<StrategyAnswer<IReadOnlyList<BlockingKey>>> KeysAsync(string name, CustomerSnapshot customer) =>
        Task.FromResult(new StrategyAnswer<IReadOnlyList<BlockingKey>>(_byName[name].Keys(customer).Distinct().ToList()));

    public Task<StrategyAnswer<MatchResult?>> CompareAsync(string name, CustomerSnapshot incoming, CustomerSnapshot existing) =>
        Task.FromResult(new StrategyAnswer<MatchResult?>(_byName[name].Compare(incoming, existing)));
}
