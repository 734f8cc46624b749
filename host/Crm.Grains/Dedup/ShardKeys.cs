using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Crm.Grains.Dedup;

/// <summary>
/// The keys of one dedup index shard, each with the customers that hold it. A key is held by its 64-bit hash, not its
/// text: a million customers carry some ten million keys of 20-60 characters, and their text was the largest part
/// of the index. The texts stay in the database (<c>dedup_log</c>), which rebuilds this at activation. Two different
/// keys with one hash (about one pair in 10^5 among twelve million keys) would share their holders: each one's
/// customers would become candidates of the other's leads, compared in full like any candidate and refused by the rule.
/// </summary>
/// <remarks>
/// The holders live in the dictionary's own entries (<see cref="KeyHolders"/> is a struct): <see cref="Find"/> and
/// <see cref="GetOrAdd"/> answer a reference to them, valid until the next key is added or removed.
/// </remarks>
public sealed class ShardKeys
{
    private readonly Dictionary<ulong, KeyHolders> _keys = [];

    public int Count => _keys.Count;

    /// <summary>Holds of all keys together (a customer counts once per key it holds).</summary>
    public long Holds => _keys.Values.Sum(h => (long)h.Count);

    /// <summary>The key's holders, or a null reference (<see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>) when nobody holds it.</summary>
    public ref KeyHolders Find(string key) => ref CollectionsMarshal.GetValueRefOrNullRef(_keys, HashOf(key));

    public ref KeyHolders GetOrAdd(string key) => ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, HashOf(key), out _);

    /// <summary>Forgets a key nobody holds any more.</summary>
    public void ForgetIfEmpty(string key, in KeyHolders holders)
    {
        if (!Unsafe.IsNullRef(in holders) && holders.Count == 0)
        {
            _keys.Remove(HashOf(key));
        }
    }

    private static ulong HashOf(string key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));
}
