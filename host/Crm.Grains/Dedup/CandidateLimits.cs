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
        where TId : notnull
    {
        var taken = new List<(string, T, int)>();
        var seen = new HashSet<TId>();
        foreach (var (key, holders) in keys.Where(k => k.Holders.Count <= commonKeyLimit).OrderBy(k => k.Holders.Count))
        {
            foreach (var holder in holders)
            {
                if (taken.Count >= maxCandidates)
                {
                    return taken;
                }

                if (seen.Add(holderId(holder)))
                {
                    taken.Add((key, holder, holders.Count));
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
    public static List<Guid> Merge(IEnumerable<IndexHit> hits, Func<Guid, bool> eligible, int maxCandidates)
    {
        var taken = new List<Guid>();
        var seen = new HashSet<Guid>();
        foreach (var hit in hits.OrderBy(h => h.KeyHolders))
        {
            if (taken.Count >= maxCandidates)
            {
                break;
            }

            if (eligible(hit.CustomerId) && seen.Add(hit.CustomerId))
            {
                taken.Add(hit.CustomerId);
            }
        }

        return taken;
    }
}
