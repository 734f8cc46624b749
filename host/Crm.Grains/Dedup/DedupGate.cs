using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Dedup.Pending;
using Crm.Grains.Pools;
using Crm.Sdk;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup;

/// <summary>
/// Creates customers through the dedup index, race-free. The customers already on the lead's keys are looked up in all
/// its shards and compared, rarest key first; then the keys are reserved shard by shard in ascending shard order, each
/// reservation answering who holds the key now (stored, or reserved by a creation in flight), and the newcomers are
/// compared with the pool's strategies at once. A blocking match releases the
/// reservations and refuses; otherwise the customer grain stores the customer (with its keys, so it can re-commit
/// them after a crash) and the keys are committed. Two identical leads at once: the shard that sees both reserve
/// the same key answers the second with the first, so the second is blocked (or flagged), never silently doubled.
/// </summary>
public sealed class DedupGate(IGrainFactory grains, IDedupStrategySource strategies, IOptions<DedupOptions> options)
{
    private int Shards => options.Value.Shards;

    /// <summary>The strategies every customer is indexed under (and a pool without a dedup rule is checked with).</summary>
    public IReadOnlyList<string> IndexStrategies => options.Value.IndexStrategies.Where(strategies.Exists).ToList();

    /// <summary>
    /// The keys a customer is indexed under: those of the always-indexed strategies and of the pool's, sorted; with the
    /// faults of strategies that failed (their keys are missing).
    /// </summary>
    public async Task<LeadKeys> KeysAsync(CustomerSnapshot card, DedupPolicy? rule) => (await KeysManyAsync([card], rule))[0];

    /// <summary>The keys of many customers (an import's batch), each strategy asked for all of them at once.</summary>
    public async Task<IReadOnlyList<LeadKeys>> KeysManyAsync(IReadOnlyList<CustomerSnapshot> cards, DedupPolicy? rule)
    {
        var keys = new List<string>[cards.Count];
        var faults = new List<StrategyFault>[cards.Count];
        for (var i = 0; i < cards.Count; i++)
        {
            (keys[i], faults[i]) = ([], []);
        }

        // A strategy the pool's rule names that no loaded plugin offers (removed, or failed to load) is a failing
        // strategy, never a silent "no keys": its customers are queued until it is back. The always-indexed strategies
        // are configuration, and one of them not loaded is skipped (it is no pool's promise).
        foreach (var name in (rule?.Strategies ?? []).Distinct().Where(n => !strategies.Exists(n)))
        {
            for (var i = 0; i < cards.Count; i++)
            {
                faults[i].Add(NotLoaded(name));
            }
        }

        foreach (var name in options.Value.IndexStrategies.Concat(rule?.Strategies ?? []).Distinct().Where(strategies.Exists))
        {
            var answers = await strategies.KeysManyAsync(name, cards);
            for (var i = 0; i < cards.Count; i++)
            {
                if (answers[i].Fault is { } fault)
                {
                    faults[i].Add(new StrategyFault(name, fault));
                }

                foreach (var key in answers[i].Value)
                {
                    keys[i].Add(DedupShards.KeyOf(key.Kind, key.Value));
                }
            }
        }

        var leads = new LeadKeys[cards.Count];
        for (var i = 0; i < cards.Count; i++)
        {
            leads[i] = new LeadKeys(SortedOnce(keys[i]), faults[i]);
        }

        return leads;
    }

    /// <summary>The keys in ordinal order, each once.</summary>
    private static List<string> SortedOnce(List<string> keys)
    {
        keys.Sort(StringComparer.Ordinal);
        var kept = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            if (kept == 0 || !string.Equals(keys[kept - 1], keys[i], StringComparison.Ordinal))
            {
                keys[kept++] = keys[i];
            }
        }

        keys.RemoveRange(kept, keys.Count - kept);
        return keys;
    }

    /// <summary>Would this lead be a duplicate in a pool with this rule? Reserves and stores nothing.</summary>
    /// <param name="keys">The lead's keys under this rule when the caller already has them (<see cref="KeysAsync"/>).</param>
    public async Task<DedupDecision> CheckAsync(CustomerSnapshot lead, DedupPolicy? rule, LeadKeys? keys = null)
    {
        if (rule is null)
        {
            return DedupDecision.None;
        }

        keys ??= await KeysAsync(lead, rule);
        var faults = keys.Faults.ToList();
        var groups = GroupByShard(keys.Keys);
        var lookups = await Task.WhenAll(groups.Select(g => Shard(g.Shard).Lookup(g.Keys)));
        var matches = await CompareAsync(lead, lookups.SelectMany(h => h), rule, [Guid.Parse(lead.Id)], faults);
        return DedupDecision.From(matches) with { Faults = faults };
    }

    /// <summary>
    /// Creates the customer unless the pool's rule blocks it; flags both sides of flagged matches. When a strategy
    /// failed (its keys or a comparison are missing) the customer is created with the keys there are and queued in
    /// <c>dedup_pending</c> in the same commit, for the retrier to index when the strategy answers again.
    /// </summary>
    /// <param name="lead">The lead's keys under this rule when the caller already has them (<see cref="KeysAsync"/>).</param>
    public async Task<GateResult> CreateAsync(Guid id, NewCustomer request, Actor actor, DedupPolicy? rule, LeadKeys? lead = null)
    {
        var customer = grains.GetGrain<ICustomerGrain>(id);
        if (await customer.Get() is { } already)
        {
            return new GateResult(already, DedupDecision.None, null); // a retried creation with the same id
        }

        var card = CustomerCard.From(id, request);
        lead ??= await KeysAsync(card, rule);
        var keys = lead.Keys;
        var faults = lead.Faults.ToList();
        var groups = GroupByShard(keys);
        var cardShard = Shard(DedupShards.OfCustomer(id, Shards));
        var indexCard = LeadCard.Of(card);
        await cardShard.PutCard(indexCard, committed: false);

        var reserved = new List<(int Shard, IReadOnlyList<string> Keys)>();
        var seen = new HashSet<Guid> { id };
        try
        {
            // First the customers already on the lead's keys, rarest key first over all the shards (shard by shard, the
            // first shards could fill the candidate limit through name keys and cut off a mobile in a later one).
            var found = await Task.WhenAll(groups.Select(g => Shard(g.Shard).Lookup(g.Keys)));
            var matches = new List<DedupMatch>(await CompareAsync(card, found.SelectMany(h => h), rule, seen, faults));
            // Then the reservations, shard by shard in ascending order, each answering who came since: of two identical
            // leads at once, the one that reaches a shared shard second sees the first there and stops.
            for (var i = 0; i < groups.Count && !matches.Any(m => m.Action == "block"); i++)
            {
                var hits = await Shard(groups[i].Shard).Reserve(id, groups[i].Keys);
                reserved.Add(groups[i]);
                matches.AddRange(await CompareAsync(card, hits, rule, seen, faults));
            }

            if (matches.Any(m => m.Action == "block"))
            {
                await ReleaseAsync(id, reserved);
                return new GateResult(null, DedupDecision.From(matches), null);
            }

            var created = await customer.Create(request, actor, keys, DedupPendingQueue.Reason(faults));
            if (created.Error is { } error)
            {
                await ReleaseAsync(id, reserved);
                return new GateResult(null, DedupDecision.From(matches), error);
            }

            await Task.WhenAll(groups.Select(g => Shard(g.Shard).Commit(id, g.Keys)));
            await cardShard.PutCard(indexCard, committed: true);
            var decision = DedupDecision.From(matches);
            foreach (var match in decision.Matches.Where(m => m.Action == "flag"))
            {
                await customer.FlagDuplicate(match.CustomerId, match, actor);
                await grains.GetGrain<ICustomerGrain>(match.CustomerId).FlagDuplicate(id, match, actor);
            }

            return new GateResult(await customer.Get(), decision, null);
        }
        catch
        {
            await ReleaseAsync(id, reserved);
            throw;
        }
    }

    /// <summary>Puts a stored customer's keys and card into the index (idempotent): the heal and rebuild path.</summary>
    public static Task SyncAsync(IGrainFactory grains, int shards, CustomerSnapshot card, IReadOnlyList<string> keys)
    {
        var id = Guid.Parse(card.Id);
        var commits = keys.GroupBy(k => DedupShards.Of(k, shards))
            .Select(g => grains.GetGrain<IDedupIndexGrain>(g.Key).Commit(id, g.ToList()));
        return Task.WhenAll(commits.Append(grains.GetGrain<IDedupIndexGrain>(DedupShards.OfCustomer(id, shards)).PutCard(LeadCard.Of(card), true)));
    }

    /// <summary>Takes a customer out of the index (it was merged into another).</summary>
    public static Task RemoveAsync(IGrainFactory grains, int shards, Guid id, IReadOnlyList<string> keys)
    {
        var releases = keys.GroupBy(k => DedupShards.Of(k, shards))
            .Select(g => grains.GetGrain<IDedupIndexGrain>(g.Key).Release(id, g.ToList(), committedToo: true));
        return Task.WhenAll(releases.Append(grains.GetGrain<IDedupIndexGrain>(DedupShards.OfCustomer(id, shards)).RemoveCard(id)));
    }

    /// <summary>Compares the lead with the customers found that it was not compared with yet (<paramref name="seen"/>).</summary>
    private async Task<IReadOnlyList<DedupMatch>> CompareAsync(CustomerSnapshot lead, IEnumerable<IndexHit> hits, DedupPolicy? rule, HashSet<Guid> seen,
        List<StrategyFault> faults)
    {
        var fresh = CandidateLimits.Merge(hits, id => !seen.Contains(id), options.Value.MaxCandidates);
        seen.UnionWith(fresh);
        if (rule is null || fresh.Count == 0)
        {
            return [];
        }

        var cards = (await Task.WhenAll(fresh.GroupBy(id => DedupShards.OfCustomer(id, Shards))
            .Select(g => Shard(g.Key).GetCards(g.ToList())))).SelectMany(c => c.Value).ToDictionary(c => Guid.Parse(c.Id), c => c.ToSnapshot());
        return await MatchAsync(lead, fresh, id => cards.GetValueOrDefault(id), rule, faults);
    }

    /// <summary>
    /// Compares the lead with each candidate (its card from <paramref name="cardOf"/>, else read from the customer) under
    /// the rule's strategies; the best match per candidate. Shared by the one-lead path and the import's batches.
    /// </summary>
    internal async Task<List<DedupMatch>> MatchAsync(CustomerSnapshot lead, IReadOnlyList<Guid> fresh, Func<Guid, CustomerSnapshot?> cardOf,
        DedupPolicy rule, List<StrategyFault> faults)
    {
        // Two arrays side by side (the ids and the cards the strategies are given): no list of pairs to copy the cards from.
        var ids = new Guid[fresh.Count];
        var found = new CustomerSnapshot[fresh.Count];
        var count = 0;
        foreach (var candidate in fresh)
        {
            // A card missing from the index is read from the customer, the truth.
            var existing = cardOf(candidate)
                ?? (await grains.GetGrain<ICustomerGrain>(candidate).Get() is { } dto ? CustomerCard.From(dto) : null);
            if (existing is not null)
            {
                (ids[count], found[count]) = (candidate, existing);
                count++;
            }
        }

        if (count == 0)
        {
            return [];
        }

        var existingCards = count == found.Length ? found : found[..count];
        var best = new DedupMatch?[count];
        foreach (var name in rule.Strategies.Distinct())
        {
            if (!strategies.Exists(name))
            {
                faults.Add(NotLoaded(name)); // no comparison with these candidates: as if the strategy had failed
                continue;
            }

            var answers = await strategies.CompareManyAsync(name, lead, existingCards);
            for (var i = 0; i < count; i++)
            {
                if (answers[i].Fault is { } fault)
                {
                    faults.Add(new StrategyFault(name, fault));
                }

                if (answers[i].Value is { } result)
                {
                    var strength = result.Strength.ToString().ToLowerInvariant();
                    var match = new DedupMatch(ids[i], name, result.Key.Kind, result.Key.Value, strength,
                        Math.Round(result.Score, 3), result.Reason, rule.ActionFor(strength));
                    if (best[i] is not { } current || result.Strength > Enum.Parse<MatchStrength>(current.Strength, true)
                        || result.Strength == Enum.Parse<MatchStrength>(current.Strength, true) && match.Score > current.Score)
                    {
                        best[i] = match;
                    }
                }
            }
        }

        return best.OfType<DedupMatch>().ToList();
    }

    /// <summary>The fault of a strategy the pool's rule names that no loaded plugin offers.</summary>
    public static StrategyFault NotLoaded(string name) =>
        new(name, $"{name}: not loaded (no loaded plugin offers this dedup strategy)");

    private Task ReleaseAsync(Guid id, IEnumerable<(int Shard, IReadOnlyList<string> Keys)> reserved) =>
        Task.WhenAll(reserved.Select(r => Shard(r.Shard).Release(id, r.Keys, committedToo: false))
            .Append(Shard(DedupShards.OfCustomer(id, Shards)).RemoveCard(id)));

    private List<(int Shard, IReadOnlyList<string> Keys)> GroupByShard(IReadOnlyList<string> keys) =>
        keys.GroupBy(k => DedupShards.Of(k, Shards)).OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.ToList())).ToList();

    private IDedupIndexGrain Shard(int shard) => grains.GetGrain<IDedupIndexGrain>(shard);
}

/// <summary>A lead's blocking keys (sorted) and the faults of the strategies that could not give theirs.</summary>
public sealed record LeadKeys(IReadOnlyList<string> Keys, IReadOnlyList<StrategyFault> Faults);

/// <summary>A strategy that could not answer (a throw, a timeout, an invalid result), and why.</summary>
public sealed record StrategyFault(string Strategy, string Message);

/// <summary>The outcome of a creation through the gate: the customer, or a blocking decision, or the grain's refusal.</summary>
public sealed record GateResult(CustomerView? Customer, DedupDecision Decision, CrmError? Error);
