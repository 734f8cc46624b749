using System.Text;

namespace Crm.Grains.Dedup;

/// <summary>Which index shard holds a blocking key or a customer's card: a stable hash (FNV-1a over UTF-8), never string.GetHashCode.</summary>
public static class DedupShards
{
    public static int Of(string value, int shards)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    public static int OfCustomer(Guid id, int shards) => Of(id.ToString("N"), shards);

    /// <summary>One string per key: kind and normalized value.</summary>
    public static string KeyOf(string kind, string value) => $"{kind}:{value}";

    public static (string Kind, string Value) Split(string key)
    {
        var colon = key.IndexOf(':');
        return colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
    }
}
