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
    public static List<(string Key, T Holder)> Select<T, TId>(
        IEnumerable<(string Key, IReadOnlyList<T> Holders)> keys, Func<T, TId> holderId, int commonKeyLimit, int maxCandidates)
        where TId : notnull
    {
        var taken = new List<(string, T)>();
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
                    taken.Add((key, holder));
                }
            }
        }

        return taken;
    }
}
