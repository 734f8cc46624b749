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
    /// <remarks>
    /// Called for every lead on every shard it asks, so it allocates only its answer: no LINQ, no set while few are taken.
    /// </remarks>
    public static List<(string Key, T Holder, int KeyHolders)> Select<T, TId>(
        IEnumerable<(string Key, IReadOnlyList<T> Holders)> keys, Func<T, TId> holderId, int commonKeyLimit, int maxCandidates)
        where TId : notnull
    {
        // The usable keys, rarest first; equally rare keys keep their order (a stable insertion sort: a lead has few keys).
        var usable = new List<(string Key, IReadOnlyList<T> Holders)>();
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

        var total = 0;
        foreach (var key in usable)
        {
            total += key.Holders.Count;
        }

        var taken = new List<(string, T, int)>(Math.Min(total, maxCandidates));
        HashSet<TId>? seen = null; // while few are taken, the answer itself is searched
        Func<(string, T, int), TId> idOfTaken = t => holderId(t.Item2);
        foreach (var (key, holders) in usable)
        {
            for (var i = 0; i < holders.Count; i++)
            {
                if (taken.Count >= maxCandidates)
                {
                    return taken;
                }

                var id = holderId(holders[i]);
                if (!Seen(taken, id, idOfTaken, ref seen))
                {
                    taken.Add((key, holders[i], holders.Count));
                    seen?.Add(id);
                }
            }
        }

        return taken;
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
        Span<long> order = hits.Count <= 512 ? stackalloc long[hits.Count] : new long[hits.Count];
        for (var i = 0; i < hits.Count; i++)
        {
            order[i] = ((long)hits[i].KeyHolders << 32) | (uint)i;
        }

        order.Sort();
        var taken = new List<Guid>(Math.Min(hits.Count, maxCandidates));
        HashSet<Guid>? seen = null;
        foreach (var position in order)
        {
            if (taken.Count >= maxCandidates)
            {
                break;
            }

            var id = hits[(int)(uint)position].CustomerId;
            if (eligible(id) && !Seen(taken, id, static g => g, ref seen))
            {
                taken.Add(id);
                seen?.Add(id);
            }
        }

        return taken;
    }

    private const int SearchedUpTo = 16;

    /// <summary>
    /// Whether the id is taken already: the taken list searched in place while it is short (most leads), a hash set made
    /// of it once it grows past <see cref="SearchedUpTo"/> and kept from then on.
    /// </summary>
    private static bool Seen<TItem, TId>(List<TItem> taken, TId id, Func<TItem, TId> idOf, ref HashSet<TId>? seen) where TId : notnull
    {
        if (seen is not null)
        {
            return seen.Contains(id);
        }

        var comparer = EqualityComparer<TId>.Default;
        foreach (var item in taken)
        {
            if (comparer.Equals(idOf(item), id))
            {
                return true;
            }
        }

        if (taken.Count >= SearchedUpTo)
        {
            seen = new HashSet<TId>(taken.Count * 2);
            foreach (var item in taken)
            {
                seen.Add(idOf(item));
            }
        }

        return false;
    }
}
