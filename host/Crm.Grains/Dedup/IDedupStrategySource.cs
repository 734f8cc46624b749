using Crm.Sdk;

namespace Crm.Grains.Dedup;

/// <summary>
/// The dedup strategies the loaded plugins offer, by name. The server implements it over its plugin host (with the
/// time budget and fault recording of plugin calls). A strategy that faults answers no keys and no match, and says
/// why in <see cref="StrategyAnswer{T}.Fault"/>: the gate then queues the customer instead of trusting the silence.
/// </summary>
public interface IDedupStrategySource
{
    bool Exists(string name);

    IReadOnlyCollection<string> Names { get; }

    Task<StrategyAnswer<IReadOnlyList<BlockingKey>>> KeysAsync(string name, CustomerSnapshot customer);

    Task<StrategyAnswer<MatchResult?>> CompareAsync(string name, CustomerSnapshot incoming, CustomerSnapshot existing);

    /// <summary>The keys of each customer: an answer per customer, in their order.</summary>
    async Task<IReadOnlyList<StrategyAnswer<IReadOnlyList<BlockingKey>>>> KeysManyAsync(string name, IReadOnlyList<CustomerSnapshot> customers)
    {
        var answers = new StrategyAnswer<IReadOnlyList<BlockingKey>>[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            answers[i] = await KeysAsync(name, customers[i]);
        }

        return answers;
    }

    /// <summary>Compares a lead with each of its candidates: an answer per candidate, in their order.</summary>
    async Task<IReadOnlyList<StrategyAnswer<MatchResult?>>> CompareManyAsync(string name, CustomerSnapshot incoming, IReadOnlyList<CustomerSnapshot> existing)
    {
        var answers = new StrategyAnswer<MatchResult?>[existing.Count];
        for (var i = 0; i < existing.Count; i++)
        {
            answers[i] = await CompareAsync(name, incoming, existing[i]);
        }

        return answers;
    }
}

/// <summary>A strategy's answer, or (with <see cref="Fault"/>) the empty answer that stands in for a throw, a timeout or an invalid result.</summary>
public readonly record struct StrategyAnswer<T>(T Value, string? Fault = null)
{
    public bool Failed => Fault is not null;
}
