using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Crm.Grains.Dedup;

/// <summary>
/// The keys of one dedup index shard, each with the customers that hold it. A key is held by its 64-bit hash, not its
/// text: a million customers carry some twelve million keys of 20-60 characters, and their text was the largest part
/// of the index. The texts stay in the database (<c>dedup_shard_keys</c>), which rebuilds this at activation. Two different
/// keys with one hash (about one pair in 10^5 among twelve million keys) would share their holders: each one's
/// customers would become candidates of the other's leads, compared in full like any candidate and refused by the rule.
/// </summary>
public sealed class ShardKeys
{
    private readonly Dictionary<ulong, KeyHolders> _keys = [];

    public int Count => _keys.Count;

    /// <summary>Holds of all keys together (a customer counts once per key it holds).</summary>
    public long Holds => _keys.Values.Sum(h => (long)h.Count);

    public KeyHolders? Find(string key) => _keys.GetValueOrDefault(HashOf(key));

    public KeyHolders GetOrAdd(string key)
    {
        ref var holders = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, HashOf(key), out _);
        return holders ??= new KeyHolders();
    }

    /// <summary>Forgets a key nobody holds any more.</summary>
    public void ForgetIfEmpty(string key, KeyHolders? holders)
    {
        if (holders is { Count: 0 })
        {
            _keys.Remove(HashOf(key));
        }
    }

    private static ulong HashOf(string key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));
}
