using System.Runtime.CompilerServices;
using Crm.Grains.Common;
using Orleans.Concurrency;

namespace Crm.Grains.Dedup;

/// <summary>The shard's batch calls (imports): one call per shard per batch instead of one per row.</summary>
public sealed partial class DedupIndexGrain
{
    public Task<Immutable<IReadOnlyList<IReadOnlyList<IndexHit>>>> ReserveMany(IReadOnlyList<KeyClaim> claims)
    {
        var now = clock.GetUtcNow();
        var answers = new IReadOnlyList<IndexHit>[claims.Count];
        for (var i = 0; i < claims.Count; i++)
        {
            var (customerId, keys) = (claims[i].CustomerId, claims[i].Keys);
            answers[i] = Hits(customerId, keys, now);
            foreach (var key in keys)
            {
                HoldersOf(key).Reserve(customerId, now);
            }
        }

        return Task.FromResult(((IReadOnlyList<IReadOnlyList<IndexHit>>)answers).AsImmutable());
    }

    public Task SettleMany(IReadOnlyList<KeyClaim> commit, IReadOnlyList<KeyClaim> release)
    {
        foreach (var claim in commit)
        {
            foreach (var key in claim.Keys)
            {
                HoldersOf(key).Commit(claim.CustomerId);
            }
        }

        foreach (var claim in release)
        {
            foreach (var key in claim.Keys)
            {
                ref var holders = ref _keys.Find(key);
                if (!Unsafe.IsNullRef(ref holders))
                {
                    holders.RemoveReportingCommitted(claim.CustomerId, committedToo: false);
                    _keys.ForgetIfEmpty(key, in holders);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task HoldCards(IReadOnlyList<LeadCard> cards)
    {
        foreach (var card in cards)
        {
            var id = Guid.Parse(card.Id);
            if (!_cards.TryGetValue(id, out var held) || !held.Committed)
            {
                _cards[id] = new Card(card, false);
            }
        }

        return Task.CompletedTask;
    }

    public Task SettleCards(IReadOnlyList<LeadCard> stored, IReadOnlyList<Guid> drop)
    {
        foreach (var id in drop)
        {
            if (_cards.TryGetValue(id, out var card) && !card.Committed)
            {
                _cards.Remove(id);
            }
        }

        KeepCommitted(stored);
        return Task.CompletedTask;
    }
}
