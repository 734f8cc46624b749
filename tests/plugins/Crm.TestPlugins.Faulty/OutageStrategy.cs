using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary>
/// <c>outage-keys</c>: a dedup strategy whose service can go down. While the file named by the environment variable
/// <c>CRM_TEST_DEDUP_OUTAGE_FILE</c> exists it throws, or, when the file says <c>hang</c>, blocks until the file goes
/// (at most 20 s). Otherwise it keys customers on their contact name and calls equal names a strong match.
/// </summary>
public sealed class OutageStrategy : IDedupStrategy
{
    public const string Variable = "CRM_TEST_DEDUP_OUTAGE_FILE";

    public string Name => "outage-keys";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        ThrowIfDown();
        return [new BlockingKey("contact", Normalize(customer.Name))];
    }

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        ThrowIfDown();
        var name = Normalize(incoming.Name);
        return name.Length > 0 && name == Normalize(existing.Name)
            ? new MatchResult { Key = new BlockingKey("contact", name), Strength = MatchStrength.Strong, Score = 1, Reason = "same contact name" }
            : null;
    }

    private static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant();

    private static void ThrowIfDown()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } file || !File.Exists(file))
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (SafeRead(file) == "hang" && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        if (File.Exists(file))
        {
            throw new InvalidOperationException("name service unreachable");
        }
    }

    private static string? SafeRead(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
