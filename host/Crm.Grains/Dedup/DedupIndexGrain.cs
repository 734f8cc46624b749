using System.Runtime.CompilerServices;
using Crm.Grains.Customers;
using Crm.Grains.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Crm.Grains.Dedup;

// The index is what the shards hold in memory: collected after Orleans' idle age, a shard reloaded its part of the index
// (seconds at a million customers) on the next creation after a quiet quarter of an hour.
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class DedupIndexGrain(DedupIndexStore store, IOptions<DedupOptions> options, TimeProvider clock, ILogger<DedupIndexGrain> logger)
    : Grain, IDedupIndexGrain
{
    private readonly ShardKeys _keys = new();
    private readonly Dictionary<Guid, Card> _cards = [];

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var shards = options.Value.Shards;
        var stored = await store.LoadAsync(Shard);
        var keys = new List<IndexEntry>(stored.Keys.Count);
        foreach (var entry in stored.Keys)
        {
            if (DedupShards.Of(entry.Key, shards) == Shard)
            {
                HoldersOf(entry.Key).Commit(entry.CustomerId);
                keys.Add(entry);
            }
        }

        var cards = new List<LeadCard>(stored.Cards.Count);
        foreach (var card in stored.Cards)
        {
            var id = Guid.Parse(card.Id);
            if (DedupShards.OfCustomer(id, shards) == Shard)
            {
                _cards[id] = new Card(card, true);
                cards.Add(card);
            }
        }

        // Rows written under another shard count are left out of the base (the reindex puts them under the shard they
        // belong to now); a shard that read many change rows writes one base instead, so the next activation reads less.
        // Off the activation, on the thread pool: after a restart the 64 shards' bases are written one after another, and
        // a shard whose activation waited for the others' answered its first callers after Orleans' 30 s call timeout. Not
        // written (the silo dies first), the rows stay and the next activation compacts them.
        if (keys.Count < stored.Keys.Count || cards.Count < stored.Cards.Count || stored.WorthCompacting)
        {
            var shard = Shard;
            _ = Task.Run(async () =>
            {
                try
                {
                    await store.CompactAsync(shard, stored, keys, cards);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Dedup index shard {Shard}: its log was not compacted; the next activation tries again", shard);
                }
            });
        }

        if (Shard == 0)
        {
            await store.RemoveShardsFromAsync(shards);
        }
    }

    public Task<IReadOnlyList<IndexHit>> Reserve(Guid customerId, IReadOnlyList<string> keys)
    {
        var now = clock.GetUtcNow();
        var hits = Hits(customerId, keys, now);
        foreach (var key in keys)
        {
            HoldersOf(key).Reserve(customerId, now);
        }

        return Task.FromResult(hits);
    }

    public Task<IReadOnlyList<IndexHit>> Lookup(IReadOnlyList<string> keys) =>
        Task.FromResult(Hits(Guid.Empty, keys, clock.GetUtcNow()));

    public async Task Commit(Guid customerId, IReadOnlyList<string> keys)
    {
        var added = new List<IndexEntry>();
        foreach (var key in keys)
        {
            if (HoldersOf(key).Commit(customerId))
            {
                added.Add(new IndexEntry(key, customerId));
            }
        }

        if (added.Count > 0)
        {
            await store.AddKeysAsync(Shard, added);
        }
    }

    public async Task Release(Guid customerId, IReadOnlyList<string> keys, bool committedToo)
    {
        var removed = new List<string>();
        foreach (var key in keys)
        {
            ref var holders = ref _keys.Find(key);
            if (!Unsafe.IsNullRef(ref holders) && holders.RemoveReportingCommitted(customerId, committedToo))
            {
                removed.Add(key);
            }

            _keys.ForgetIfEmpty(key, in holders);
        }

        if (removed.Count > 0)
        {
            await store.RemoveKeysAsync(Shard, customerId, removed);
        }
    }

    public async Task PutCard(LeadCard card, bool committed)
    {
        _cards[Guid.Parse(card.Id)] = new Card(card, committed);
        if (committed)
        {
            await store.UpsertCardsAsync(Shard, [card]);
        }
    }

    public Task<Immutable<IReadOnlyList<LeadCard>>> GetCards(IReadOnlyList<Guid> customerIds)
    {
        // An import batch asks for up to 200 candidates' cards per lead at once: a plain loop, no LINQ per card.
        var found = new List<LeadCard>(customerIds.Count);
        foreach (var id in customerIds)
        {
            if (_cards.TryGetValue(id, out var card))
            {
                found.Add(card.Snapshot);
            }
        }

        return Task.FromResult(((IReadOnlyList<LeadCard>)found).AsImmutable());
    }

    public async Task RemoveCard(Guid customerId)
    {
        if (_cards.Remove(customerId, out var card) && card.Committed)
        {
            await store.DeleteCardAsync(Shard, customerId);
        }
    }

    public async Task CommitMany(IReadOnlyList<IndexEntry> entries)
    {
        foreach (var entry in entries)
        {
            HoldersOf(entry.Key).Commit(entry.CustomerId);
        }

        await store.AddKeysAsync(Shard, entries);
    }

    public async Task PutCards(IReadOnlyList<LeadCard> cards)
    {
        KeepCommitted(cards);
        await store.UpsertCardsAsync(Shard, cards);
    }

    private void KeepCommitted(IReadOnlyList<LeadCard> cards)
    {
        foreach (var card in cards)
        {
            _cards[Guid.Parse(card.Id)] = new Card(card, true);
        }
    }

    public Task<(int Keys, int Entries, int Cards)> Stats() =>
        Task.FromResult((_keys.Count, (int)_keys.Holds, _cards.Count));

    /// <summary>
    /// The other customers on the keys, within <see cref="CandidateLimits"/> (common keys find no one; the rarest keys
    /// first; at most <see cref="DedupOptions.MaxCandidates"/>). A reservation older than the timeout belongs to a
    /// creation that died: it is dropped, and the customer is asked to re-project, which re-commits its keys if it was
    /// stored after all.
    /// </summary>
    private IReadOnlyList<IndexHit> Hits(Guid self, IReadOnlyList<string> keys, DateTimeOffset now)
    {
        var held = new List<(string Key, IReadOnlyList<KeyHolder> Holders)>(keys.Count);
        for (var k = 0; k < keys.Count; k++) // by index: a foreach over the interface allocated an enumerator per call
        {
            var key = keys[k];
            ref var holders = ref _keys.Find(key);
            if (Unsafe.IsNullRef(ref holders))
            {
                continue;
            }

            holders.DropStale(self, now, options.Value.ReservationTimeout, _heal ??= Heal);
            if (holders.Count == 0)
            {
                _keys.ForgetIfEmpty(key, in holders);
                continue;
            }

            // A common key is skipped before its holders are copied: it may hold a great many.
            held.Add((key, holders.Count > options.Value.CommonKeyLimit + 1 || !holders.Holds(self)
                ? holders.ToList()
                : Without(holders.ToList(), self)));
        }

        return CandidateLimits.Select(held, HolderId, HitOf, options.Value.CommonKeyLimit, options.Value.MaxCandidates);
    }

    // A loop, not a lambda over the asker: a lambda's closure was made on every call, whichever branch ran.
    private static List<KeyHolder> Without(IReadOnlyList<KeyHolder> holders, Guid self)
    {
        var others = new List<KeyHolder>(holders.Count);
        foreach (var holder in holders)
        {
            if (holder.CustomerId != self)
            {
                others.Add(holder);
            }
        }

        return others;
    }

    private void Heal(Guid customerId)
    {
        _cards.Remove(customerId);
        // Not awaited: the customer grain may call this shard back while it re-commits its keys.
        GrainFactory.GetGrain<ICustomerGrain>(customerId).Reproject().Ignore();
    }

    private ref KeyHolders HoldersOf(string key) => ref _keys.GetOrAdd(key);

    private static readonly Func<KeyHolder, Guid> HolderId = h => h.CustomerId;

    private static readonly Func<string, KeyHolder, int, IndexHit> HitOf = (key, holder, holders) => new IndexHit(key, holder.CustomerId, holder.Committed, holders);

    // Made once: a method group passed per lead and key allocated a delegate each time.
    private Action<Guid>? _heal;

    // A struct in the shard's dictionary: an object per card was another million objects for the collector at 1M.
    private readonly record struct Card(LeadCard Snapshot, bool Committed);
}
