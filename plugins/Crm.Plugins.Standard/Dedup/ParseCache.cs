using System.Collections.Concurrent;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Parse results by input text, bounded: two generations of at most <c>capacity</c> entries each. When the young one
/// fills, it becomes the old one and the old one is dropped; a hit in the old one moves the entry back to the young.
/// So the texts compared often (the holders of a lead's keys, the leads themselves) stay parsed at any index size,
/// where a cache emptied whenever it filled parsed everything again at a million customers.
/// </summary>
internal sealed class ParseCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private Generation _young = new(comparer);
    private Generation _old = new(comparer);
    private readonly object _turnover = new();

    /// <summary>The entries held now, in both generations.</summary>
    internal int Count => _young.Entries.Count + _old.Entries.Count;

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> parse)
    {
        var young = _young;
        if (young.Entries.TryGetValue(key, out var value))
        {
            return value;
        }

        if (!_old.Entries.TryGetValue(key, out value))
        {
            value = parse(key);
        }

        // Counted here, not with ConcurrentDictionary.Count: that takes every lock of the table (up to 1,024 once it has
        // grown), and at 200,000 customers it was a fifth of the import's CPU.
        if (young.Entries.TryAdd(key, value) && Interlocked.Increment(ref young.Count) >= capacity)
        {
            lock (_turnover)
            {
                if (ReferenceEquals(young, _young))
                {
                    _old = young;
                    _young = new Generation(comparer);
                }
            }
        }

        return value;
    }

    private sealed class Generation(IEqualityComparer<TKey>? comparer)
    {
        public readonly ConcurrentDictionary<TKey, TValue> Entries = new(comparer);
        public int Count;
    }
}

internal static class ParseCaches
{
    /// <summary>
    /// Entries per generation of each parse cache: a lead meets candidates from anywhere in the index, so the texts
    /// compared are all the customers'. At 100,000 a million-row import into a million customers parsed most candidates'
    /// names, phones and addresses again (5 % of its CPU; docs/scale.md, eighteenth round); a cache holds only the texts
    /// it has met, so a small base never fills it.
    /// </summary>
    public const int Capacity = 1_000_000;
}
