using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>
/// The dedup strategies the loaded plugins offer, by name. The server implements it over its plugin host (with the
/// time budget and fault recording of plugin calls); a strategy that faults answers no keys and no match.
/// </summary>
public interface IDedupStrategySource
{
    bool Exists(string name);

    IReadOnlyCollection<string> Names { get; }

    Task<IReadOnlyList<BlockingKey>> KeysAsync(string name, CustomerSnapshot customer);

    Task<MatchResult?> CompareAsync(string name, CustomerSnapshot incoming, CustomerSnapshot existing);
}
