using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary>
/// <c>chokes-on-some</c>: keys and matches customers on their name, but throws when it compares with a stored customer
/// whose name starts with "!" (a record it cannot read), and when asked for the keys of a customer whose name starts with "?".
/// </summary>
public sealed class ChokesOnSomeStrategy : IDedupStrategy
{
    public string Name => "chokes-on-some";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer) => customer.Name.StartsWith('?')
        ? throw new InvalidDataException($"cannot key customer {customer.Id}")
        : [new BlockingKey("name", customer.Name.TrimStart('!'))];

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing) =>
        existing.Name.StartsWith('!') ? throw new InvalidDataException($"cannot read customer {existing.Id}")
        : incoming.Name == existing.Name
            ? new MatchResult { Key = new BlockingKey("name", existing.Name), Strength = MatchStrength.Strong, Score = 1, Reason = "same name" }
            : null;
}
