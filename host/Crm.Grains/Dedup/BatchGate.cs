using Crm.Grains.Common;
using Crm.Grains.Pools;
using Crm.Sdk;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup;

/// <summary>A lead of an import batch; <paramref name="stored"/> when an earlier attempt of the same import already created it.</summary>
public sealed class BatchLead(Guid id, CustomerSnapshot card, LeadKeys keys, bool stored)
{
    private (int Shards, List<(int Shard, KeyClaim Claim)> Claims)? _claims;

    public Guid Id { get; } = id;

    public CustomerSnapshot Card { get; } = card;

    public LeadKeys Keys { get; } = keys;

    public bool Stored { get; } = stored;

    /// <summary>The card as the index holds it: made once for the batch's calls (held, settled, written).</summary>
    public LeadCard IndexCard { get; } = LeadCard.Of(card);

    /// <summary>The lead's keys by shard (one claim per shard it has keys in): hashed once for reserving and settling.</summary>
    public IReadOnlyList<(int Shard, KeyClaim Claim)> ClaimsBy(int shards)
    {
        if (_claims is { } made && made.Shards == shards)
        {
            return made.Claims;
        }

        // Grouped in a loop, shards in the order their first key came (a lead has a few keys): LINQ's grouping made a
        // lookup, groupings and copies per lead.
        var keys = Keys.Keys;
        var byShard = new List<(int Shard, List<string> Keys)>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var shard = DedupShards.Of(keys[i], shards);
            var at = 0;
            while (at < byShard.Count && byShard[at].Shard != shard)
            {
                at++;
            }

            if (at == byShard.Count)
            {
                byShard.Add((shard, new List<string>(1)));
            }

            byShard[at].Keys.Add(keys[i]);
        }

        var claims = new List<(int Shard, KeyClaim Claim)>(byShard.Count);
        foreach (var (shard, shardKeys) in byShard)
        {
            claims.Add((shard, new KeyClaim(Id, shardKeys)));
        }

        _claims = (shards, claims);
        return claims;
    }
}

/// <summary>
/// The dedup gate for a batch of leads (imports): the batch's cards are held and its keys reserved with one call per
/// shard, each shard reserving the leads in file order and answering each lead the customers already on its keys,
/// earlier leads of the batch included. The leads are then decided one by one in file order, each against the
/// customers outside the batch and the earlier leads of the batch that were not blocked or refused, exactly as
/// <see cref="DedupGate.CreateAsync"/> one after another would decide them. Reservations stay until
/// <see cref="SettleAsync"/>, so a creation elsewhere at the same time sees the batch's leads, and they see it.
/// </summary>
public sealed class BatchGate(IGrainFactory grains, DedupGate gate, DedupIndexStore store, IOptions<DedupOptions> options)
{
    private int Shards => options.Value.Shards;

    /// <param name="refused">Whether the customer grain's rules would refuse lead i (it then holds no one back).</param>
    /// <param name="later">
    /// Whether an id is a later lead of the same import: found on a key, it is a reservation an earlier attempt left
    /// (its silo died) and must not decide an earlier row.
    /// </param>
    public async Task<IReadOnlyList<DedupDecision>> ReserveAndDecideAsync(IReadOnlyList<BatchLead> leads, DedupPolicy rule, Func<int, bool> refused,
        Func<Guid, bool> later)
    {
        await Task.WhenAll(leads.GroupBy(l => DedupShards.OfCustomer(l.Id, Shards)).Select(g => Shard(g.Key).HoldCards(g.Select(l => l.IndexCard).ToList())));

        var perShard = new SortedDictionary<int, List<(int Lead, KeyClaim Claim)>>();
        for (var i = 0; i < leads.Count; i++)
        {
            foreach (var (shard, claim) in leads[i].ClaimsBy(Shards))
            {
                if (!perShard.TryGetValue(shard, out var claims))
                {
                    perShard[shard] = claims = [];
                }

                claims.Add((i, claim));
            }
        }

        var answers = await Task.WhenAll(perShard.Select(async s => (Claims: s.Value, Hits: (await Shard(s.Key).ReserveMany(s.Value.Select(c => c.Claim).ToList())).Value)));
        var counts = new int[leads.Count];
        foreach (var (claims, answer) in answers)
        {
            for (var j = 0; j < claims.Count; j++)
            {
                counts[claims[j].Lead] += answer[j].Count;
            }
        }

        var hits = counts.Select(count => new List<IndexHit>(count)).ToArray();
        foreach (var (claims, answer) in answers)
        {
            for (var j = 0; j < claims.Count; j++)
            {
                hits[claims[j].Lead].AddRange(answer[j]);
            }
        }

        var inBatch = new Dictionary<Guid, int>(leads.Count);
        for (var i = 0; i < leads.Count; i++)
        {
            inBatch.TryAdd(leads[i].Id, i);
        }

        // The cards of the customers outside the batch that any lead may be compared with: one call per shard, each once.
        // Gathered and kept per shard (a customer is in one shard): a batch's leads find tens of thousands of hits, and one
        // set or dictionary of them all was a large-object-heap array per batch.
        var outside = new Dictionary<int, HashSet<Guid>>();
        foreach (var found in hits)
        {
            foreach (var hit in found)
            {
                if (!inBatch.ContainsKey(hit.CustomerId))
                {
                    var shard = DedupShards.OfCustomer(hit.CustomerId, Shards);
                    if (!outside.TryGetValue(shard, out var ids))
                    {
                        outside[shard] = ids = [];
                    }

                    ids.Add(hit.CustomerId);
                }
            }
        }

        var fetched = await Task.WhenAll(outside.Select(async s => (Shard: s.Key, Cards: (await Shard(s.Key).GetCards([.. s.Value])).Value)));
        var cards = new BatchCards(leads, Shards);
        foreach (var (shard, found) in fetched)
        {
            cards.Add(shard, found);
        }

        // Compared in parallel as if every earlier lead of the batch will be stored, then decided in file order: a lead is
        // compared again only when one of its candidates was an earlier lead that was not stored after all (rare: a lead
        // blocked or refused). Its first candidates then differ; otherwise the candidates taken, and so the matches, are
        // the same as one after another would find (the eligible ones are the same up to the limit).
        var speculated = new (List<Guid> Fresh, List<DedupMatch> Matches, List<StrategyFault> Faults)?[leads.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, leads.Count).Where(i => !leads[i].Stored),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, _) =>
            {
                var fresh = CandidateLimits.Merge(hits[i], id => inBatch.TryGetValue(id, out var j) ? j < i : !later(id), options.Value.MaxCandidates);
                var faults = leads[i].Keys.Faults.ToList();
                speculated[i] = (fresh, fresh.Count == 0 ? [] : await gate.MatchAsync(leads[i].Card, fresh, cards.Of, rule, faults), faults);
            });

        var live = new bool[leads.Count];
        var decisions = new DedupDecision[leads.Count];
        for (var i = 0; i < leads.Count; i++)
        {
            if (leads[i].Stored)
            {
                // Decided by the attempt that stored it: created (the importer answers the flags stored with it).
                (decisions[i], live[i]) = (DedupDecision.None, true);
                continue;
            }

            var (fresh, matches, faults) = speculated[i]!.Value;
            if (fresh.Exists(id => inBatch.TryGetValue(id, out var j) && !live[j]))
            {
                faults = leads[i].Keys.Faults.ToList();
                fresh = CandidateLimits.Merge(hits[i], id => inBatch.TryGetValue(id, out var j) ? j < i && live[j] : !later(id), options.Value.MaxCandidates);
                matches = fresh.Count == 0 ? [] : await gate.MatchAsync(leads[i].Card, fresh, cards.Of, rule, faults);
            }

            decisions[i] = DedupDecision.From(matches) with { Faults = faults };
            live[i] = !decisions[i].Blocked && !refused(i);
        }

        return decisions;
    }

    /// <summary>
    /// The keys and cards of the stored leads become durable; the others' reservations are dropped. The shards settle in
    /// memory and this writes the rows, so a shard is not held while the writer commits: the next batch reserves meanwhile.
    /// The rows are written even for keys already committed: a retried batch re-commits what a crash left unwritten.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<BatchLead> leads, IReadOnlySet<Guid> stored)
    {
        // Per shard: the claims to commit and to release, the cards to keep and to drop. Plain loops over what the
        // reservation already grouped: the settle step's groupings were a twentieth of what an import allocated.
        var keys = new Dictionary<int, (List<KeyClaim> Commit, List<KeyClaim> Release)>();
        var cards = new Dictionary<int, (List<LeadCard> Keep, List<Guid> Drop)>();
        foreach (var lead in leads)
        {
            var isStored = stored.Contains(lead.Id);
            foreach (var (shard, claim) in lead.ClaimsBy(Shards))
            {
                if (!keys.TryGetValue(shard, out var settled))
                {
                    keys[shard] = settled = ([], []);
                }

                (isStored ? settled.Commit : settled.Release).Add(claim);
            }

            var cardShard = DedupShards.OfCustomer(lead.Id, Shards);
            if (!cards.TryGetValue(cardShard, out var held))
            {
                cards[cardShard] = held = ([], []);
            }

            if (isStored)
            {
                held.Keep.Add(lead.IndexCard);
            }
            else
            {
                held.Drop.Add(lead.Id);
            }
        }

        await Task.WhenAll(keys.Select(k => Shard(k.Key).SettleMany(k.Value.Commit, k.Value.Release))
            .Concat(cards.Select(c => Shard(c.Key).SettleCards(c.Value.Keep, c.Value.Drop))));

        // One log row per shard: its keys and cards of the batch.
        await Task.WhenAll(keys.Keys.Union(cards.Keys).Select(shard => store.AddClaimsAsync(shard,
            keys.TryGetValue(shard, out var k) ? k.Commit : [], cards.TryGetValue(shard, out var c) ? c.Keep : [])));
    }

    private IDedupIndexGrain Shard(int shard) => grains.GetGrain<IDedupIndexGrain>(shard);
}
