using System.Text;

namespace Crm.Grains.Dedup;

/// <summary>Which index shard holds a blocking key or a customer's card: a stable hash (FNV-1a over UTF-8), never string.GetHashCode.</summary>
public static class DedupShards
{
    public static int Of(string value, int shards)
    {
        // Called for every key of every lead, several times on an import: the UTF-8 bytes go to the stack, not the heap.
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        return Fnv(bytes[..Encoding.UTF8.GetBytes(value, bytes)], shards);
    }

    /// <summary>The shard of the id's 32 hex digits: the same as <see cref="Of"/> of <c>id.ToString("N")</c>, without the string.</summary>
    public static int OfCustomer(Guid id, int shards)
    {
        Span<byte> digits = stackalloc byte[32];
        id.TryFormat(digits, out _, "N");
        return Fnv(digits, shards);
    }

    private static int Fnv(ReadOnlySpan<byte> bytes, int shards)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    /// <summary>One string per key: kind and normalized value.</summary>
    public static string KeyOf(string kind, string value) => $"{kind}:{value}";

    public static (string Kind, string Value) Split(string key)
    {
        var colon = key.IndexOf(':');
        return colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
    }
}
