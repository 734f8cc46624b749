using Crm.Sdk;

namespace Crm.TestPlugins.Good;

/// <summary><c>same-name</c>: a weak match on the lower-case name.</summary>
public sealed class SameNameStrategy : IDedupStrategy
{
    public string Name => "same-name";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer) => [new BlockingKey("name", customer.Name.Trim().ToLowerInvariant())];

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing) =>
        Keys(incoming).First() is var key && key == Keys(existing).First()
            ? new MatchResult { Key = key, Strength = MatchStrength.Weak, Score = 0.5 }
            : null;
}
