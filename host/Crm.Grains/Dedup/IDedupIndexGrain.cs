using Crm.Grains.Common;
using Orleans.Concurrency;

namespace Crm.Grains.Dedup;

/// <summary>
/// One shard of the dedup index (key: shard number). Holds the blocking keys that hash to it (key -> customer ids,
/// each committed or reserved by a creation in flight) and the cards (comparison snapshots) of the customers whose
/// id hashes to it. Runs one call at a time, so of two creations reserving the same key the second sees the first.
/// </summary>
public interface IDedupIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Reserves the keys for a customer being created and answers the other customers already on them.</summary>
    Task<IReadOnlyList<IndexHit>> Reserve(Guid customerId, IReadOnlyList<string> keys);

    /// <summary>The customers on these keys, without reserving anything.</summary>
    Task<IReadOnlyList<IndexHit>> Lookup(IReadOnlyList<string> keys);

    /// <summary>Makes the keys of a stored customer durable (idempotent; also the heal path of a customer's activation).</summary>
    Task Commit(Guid customerId, IReadOnlyList<string> keys);

    /// <summary>
    /// Drops a customer from these keys: only its reservations (a creation that failed or was blocked), or also its
    /// committed entries (a customer merged into another).
    /// </summary>
    Task Release(Guid customerId, IReadOnlyList<string> keys, bool committedToo);

    /// <summary>Stores the card of a customer (reserved until committed).</summary>
    Task PutCard(LeadCard card, bool committed);

    /// <summary>
    /// The cards held of these customers. Answered as <see cref="Immutable{T}"/> (as <see cref="ReserveMany"/>): a call
    /// within the silo then hands the list over instead of copying it, and the caller only reads it.
    /// </summary>
    Task<Immutable<IReadOnlyList<LeadCard>>> GetCards(IReadOnlyList<Guid> customerIds);

    Task RemoveCard(Guid customerId);

    /// <summary>Bulk load of stored customers' keys (index rebuilds and benchmarks): each entry is committed.</summary>
    Task CommitMany(IReadOnlyList<IndexEntry> entries);

    Task PutCards(IReadOnlyList<LeadCard> cards);

    /// <summary>
    /// A batch of an import: reserves each claim's keys in order and answers, per claim, the other customers on its
    /// keys (earlier claims of the same call included, so the file's own duplicates are seen in file order).
    /// </summary>
    Task<Immutable<IReadOnlyList<IReadOnlyList<IndexHit>>>> ReserveMany(IReadOnlyList<KeyClaim> claims);

    /// <summary>
    /// Settles a batch in memory: the stored customers' keys are committed, the others' reservations go. The caller
    /// writes the committed rows (<see cref="BatchGate.SettleAsync"/>), so that the shard answers others meanwhile.
    /// </summary>
    Task SettleMany(IReadOnlyList<KeyClaim> commit, IReadOnlyList<KeyClaim> release);

    /// <summary>Holds the cards of a batch being created (reserved: compared against, not stored).</summary>
    Task HoldCards(IReadOnlyList<LeadCard> cards);

    /// <summary>Settles a batch's cards in memory: keeps those of the customers created, drops the reserved others (the caller writes the rows).</summary>
    Task SettleCards(IReadOnlyList<LeadCard> stored, IReadOnlyList<Guid> drop);

    /// <summary>Counts of keys, entries and cards held in memory.</summary>
    Task<(int Keys, int Entries, int Cards)> Stats();
}
