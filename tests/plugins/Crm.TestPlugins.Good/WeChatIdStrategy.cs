using Crm.Sdk;

namespace Crm.TestPlugins.Good;

/// <summary>
/// <c>wechat-id</c>: a strong match on a custom field whose key starts with <c>wechat</c> (tests give keys a fresh
/// suffix), compared without case. Reads only <see cref="CustomerSnapshot.Fields"/>.
/// </summary>
public sealed class WeChatIdStrategy : IDedupStrategy
{
    public string Name => "wechat-id";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer) =>
        customer.Fields.Where(f => f.Key.StartsWith("wechat", StringComparison.Ordinal) && f.Value.Trim().Length > 0)
            .Select(f => new BlockingKey("wechat", f.Value.Trim().ToLowerInvariant())).ToList();

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing) =>
        Keys(incoming).Intersect(Keys(existing)).FirstOrDefault() is { } key
            ? new MatchResult { Key = key, Strength = MatchStrength.Strong, Score = 1, Reason = "same WeChat id" }
            : null;
}
