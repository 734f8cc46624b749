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
            for (var k = 0; k < keys.Count; k++) // by index: a foreach over the interface allocated an enumerator per claim
            {
                HoldersOf(keys[k]).Reserve(customerId, now);
            }
        }

        return Task.FromResult(((IReadOnlyList<IReadOnlyList<IndexHit>>)answers).AsImmutable());
    }

    public Task SettleMany(IReadOnlyList<KeyClaim> commit, IReadOnlyList<KeyClaim> release)
    {
        foreach (var claim in commit)
        {
            for (var k = 0; k < claim.Keys.Count; k++)
            {
                HoldersOf(claim.Keys[k]).Commit(claim.CustomerId);
            }
        }

        foreach (var claim in release)
        {
            for (var k = 0; k < claim.Keys.Count; k++)
            {
                var key = claim.Keys[k];
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
