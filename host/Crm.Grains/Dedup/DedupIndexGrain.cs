using Crm.Grains.Customers;
using Crm.Grains.Common;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup;

public sealed partial class DedupIndexGrain(DedupIndexStore store, IOptions<DedupOptions> options, TimeProvider clock) : Grain, IDedupIndexGrain
{
    private readonly Dictionary<string, List<Slot>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Card> _cards = [];

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await store.LoadKeysAsync(Shard))
        {
            SlotsOf(entry.Key).Add(new Slot(entry.CustomerId, true, default));
        }

        foreach (var card in await store.LoadCardsAsync(Shard))
        {
            _cards[Guid.Parse(card.Id)] = new Card(card, true);
        }
    }

    public Task<IReadOnlyList<IndexHit>> Reserve(Guid customerId, IReadOnlyList<string> keys)
    {
        var now = clock.GetUtcNow();
        var hits = Hits(customerId, keys, now);
        foreach (var key in keys)
        {
            var slots = SlotsOf(key);
            if (!slots.Any(s => s.CustomerId == customerId))
            {
                slots.Add(new Slot(customerId, false, now));
            }
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
            var slots = SlotsOf(key);
            var at = slots.FindIndex(s => s.CustomerId == customerId);
            if (at >= 0 && slots[at].Committed)
            {
                continue;
            }

            if (at >= 0)
            {
                slots[at] = slots[at] with { Committed = true };
            }
            else
            {
                slots.Add(new Slot(customerId, true, default));
            }

            added.Add(new IndexEntry(key, customerId));
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
            if (_keys.TryGetValue(key, out var slots) && slots.FindIndex(s => s.CustomerId == customerId) is >= 0 and var at
                && (committedToo || !slots[at].Committed))
            {
                if (slots[at].Committed)
                {
                    removed.Add(key);
                }

                slots.RemoveAt(at);
                if (slots.Count == 0)
                {
                    _keys.Remove(key);
                }
            }
        }

        if (removed.Count > 0)
        {
            await store.RemoveKeysAsync(customerId, removed);
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

    public Task<IReadOnlyList<LeadCard>> GetCards(IReadOnlyList<Guid> customerIds) =>
        Task.FromResult<IReadOnlyList<LeadCard>>(customerIds.Select(id => _cards.GetValueOrDefault(id)?.Snapshot).OfType<LeadCard>().ToList());

    public async Task RemoveCard(Guid customerId)
    {
        if (_cards.Remove(customerId, out var card) && card.Committed)
        {
            await store.DeleteCardAsync(customerId);
        }
    }

    public async Task CommitMany(IReadOnlyList<IndexEntry> entries)
    {
        foreach (var group in entries.GroupBy(e => e.CustomerId))
        {
            foreach (var entry in group)
            {
                var slots = SlotsOf(entry.Key);
                slots.RemoveAll(s => s.CustomerId == entry.CustomerId);
                slots.Add(new Slot(entry.CustomerId, true, default));
            }
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
        Task.FromResult((_keys.Count, _keys.Values.Sum(s => s.Count), _cards.Count));

    /// <summary>
    /// The other customers on the keys, within <see cref="CandidateLimits"/> (common keys find no one; the rarest keys
    /// first; at most <see cref="DedupOptions.MaxCandidates"/>). A reservation older than the timeout belongs to a
    /// creation that died: it is dropped, and the customer is asked to re-project, which re-commits its keys if it was
    /// stored after all.
    /// </summary>
    private IReadOnlyList<IndexHit> Hits(Guid self, IReadOnlyList<string> keys, DateTimeOffset now)
    {
        var held = new List<(string Key, IReadOnlyList<Slot> Holders)>(keys.Count);
        foreach (var key in keys)
        {
            if (!_keys.TryGetValue(key, out var slots))
            {
                continue;
            }

            slots.RemoveAll(s => !s.Committed && s.CustomerId != self && now - s.ReservedAt > options.Value.ReservationTimeout
                && Heal(s.CustomerId));
            // A common key is skipped before its holders are copied: it may hold a great many.
            held.Add((key, slots.Count > options.Value.CommonKeyLimit + 1 ? slots : slots.Where(s => s.CustomerId != self).ToList()));
        }

        return CandidateLimits.Select(held, s => s.CustomerId, options.Value.CommonKeyLimit, options.Value.MaxCandidates)
            .Select(h => new IndexHit(h.Key, h.Holder.CustomerId, h.Holder.Committed)).ToList();
    }

    private bool Heal(Guid customerId)
    {
        _cards.Remove(customerId);
        // Not awaited: the customer grain may call this shard back while it re-commits its keys.
        GrainFactory.GetGrain<ICustomerGrain>(customerId).Reproject().Ignore();
        return true;
    }

    private List<Slot> SlotsOf(string key)
    {
        if (!_keys.TryGetValue(key, out var slots))
        {
            _keys[key] = slots = new List<Slot>(1);
        }

        return slots;
    }

    private sealed record Slot(Guid CustomerId, bool Committed, DateTimeOffset ReservedAt);

    private sealed record Card(LeadCard Snapshot, bool Committed);
}
