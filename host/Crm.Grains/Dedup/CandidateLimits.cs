namespace Crm.Grains.Dedup;

/// <summary>
/// Which holders of a lead's keys become candidates for comparison. A key held by more than
/// <see cref="DedupOptions.CommonKeyLimit"/> customers is a common word, not an identity (a short brand, a deletion
/// variant of one, a switchboard number): it generates no candidates, though a candidate found through a rarer key is
/// still compared on it in full. The rarest keys are taken first and at most <see cref="DedupOptions.MaxCandidates"/>
/// customers are taken at all, so one lead's work is bounded whatever the index holds.
/// </summary>
public static class CandidateLimits
{
    /// <summary>The holders of <paramref name="keys"/> in candidate order, within the limits; each holder once.</summary>
    /// <param name="keys">Each key with its holders (any order).</param>
    /// <param name="holderId">The identity of a holder (a holder under two keys is one candidate).</param>
    /// <returns>Each candidate with the key it was found under (the rarest) and how many hold that key.</returns>
    public static List<(string Key, T Holder, int KeyHolders)> Select<T, TId>(
        IEnumerable<(string Key, IReadOnlyList<T> Holders)> keys, Func<T, TId> holderId, int commonKeyLimit, int maxCandidates)
        where TId : notnull =>
        [.. Select(keys, holderId, static (key, holder, keyHolders) => (key, holder, keyHolders), commonKeyLimit, maxCandidates)];

    /// <summary>
    /// The candidates as <paramref name="candidate"/> makes them of (key, holder, holders of the key), in candidate order:
    /// the index shard's answer made directly, without a list of candidates first.
    /// </summary>
    /// <remarks>
    /// Called for every lead on every shard it asks, so it allocates only its answer and the keys' order: no LINQ, no set.
    /// </remarks>
    public static TResult[] Select<T, TId, TResult>(IEnumerable<(string Key, IReadOnlyList<T> Holders)> keys, Func<T, TId> holderId,
        Func<string, T, int, TResult> candidate, int commonKeyLimit, int maxCandidates)
        where TId : notnull
    {
        // The usable keys, rarest first; equally rare keys keep their order (a stable insertion sort: a lead has few keys).
        var usable = new List<(string Key, IReadOnlyList<T> Holders)>(keys is IReadOnlyCollection<(string, IReadOnlyList<T>)> all ? all.Count : 8);
        foreach (var key in keys)
        {
            if (key.Holders.Count > commonKeyLimit)
            {
                continue;
            }

            var at = usable.Count;
            while (at > 0 && usable[at - 1].Holders.Count > key.Holders.Count)
            {
                at--;
            }

            usable.Insert(at, key);
        }

        // Made in a buffer of the thread, then copied once at their number: a holder under two keys is one candidate, so
        // the number is known only at the end.
        var taken = Scratch<TResult>.Of(maxCandidates);
        var count = 0;
        var seen = Seen<TId>();
        foreach (var (key, holders) in usable)
        {
            for (var i = 0; i < holders.Count && count < maxCandidates; i++)
            {
                if (seen.Add(holderId(holders[i])))
                {
                    taken[count++] = candidate(key, holders[i], holders.Count);
                }
            }
        }

        var answer = taken.AsSpan(0, count).ToArray();
        Array.Clear(taken, 0, count); // the buffer holds no candidate (or its key) alive
        return answer;
    }

    /// <summary>
    /// A lead's candidates over all the shards it asked, rarest key first (a shard orders only its own), each once and at
    /// most <paramref name="maxCandidates"/>: otherwise the shards asked first could fill the limit through common-ish
    /// name keys and cut off a shared mobile held by one customer in a later shard.
    /// </summary>
    /// <param name="eligible">Whether a found customer may be a candidate at all (the lead itself never is).</param>
    public static List<Guid> Merge(IEnumerable<IndexHit> found, Func<Guid, bool> eligible, int maxCandidates)
    {
        var hits = found as IReadOnlyList<IndexHit> ?? found.ToList();
        // Rarest first, hits of equal rarity in the order given: sorted on (holders, position), which no two hits share.
        var order = new long[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            order[i] = ((long)hits[i].KeyHolders << 32) | (uint)i;
        }

        Array.Sort(order);
        var taken = new List<Guid>(Math.Min(hits.Count, maxCandidates));
        var seen = Seen<Guid>();
        foreach (var position in order)
        {
            if (taken.Count >= maxCandidates)
            {
                break;
            }

            var id = hits[(int)(uint)position].CustomerId;
            if (eligible(id) && seen.Add(id))
            {
                taken.Add(id);
            }
        }

        return taken;
    }

    /// <summary>
    /// The ids taken so far: one set per thread, emptied for each use (the callers run to the end without awaiting). A set
    /// made per lead (a list of 16, then a hash set) was a twelfth of what an import allocated.
    /// </summary>
    private static HashSet<TId> Seen<TId>() where TId : notnull
    {
        var seen = SeenSet<TId>.OfThread ??= [];
        seen.Clear();
        return seen;
    }

    private static class SeenSet<TId> where TId : notnull
    {
        [ThreadStatic]
        public static HashSet<TId>? OfThread;
    }

    private static class Scratch<TResult>
    {
        [ThreadStatic]
        private static TResult[]? _ofThread;

        public static TResult[] Of(int length) => _ofThread is { } buffer && buffer.Length >= length ? buffer : _ofThread = new TResult[length];
    }
}
