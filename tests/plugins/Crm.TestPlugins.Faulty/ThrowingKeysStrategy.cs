using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary><c>throwing-keys</c>: fails while the keys are enumerated (lazily, as iterators do).</summary>
public sealed class ThrowingKeysStrategy : IDedupStrategy
{
    public string Name => "throwing-keys";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        yield return new BlockingKey("name", customer.Name);
        throw new FormatException("bad key format");
    }

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing) => throw new FormatException("bad key format");
}
