using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;

namespace Crm.Grains.Dedup.Pending;

/// <summary>
/// Indexes one stored customer again: computes its keys with the strategies of now, compares it with the index when
/// asked (a queued customer was never fully compared) or when its keys changed, has the customer record the keys, and
/// flags the duplicates found on both sides, as a creation's <c>flag</c> does. A customer already stored is never
/// blocked or merged here: a person decides. Nothing is recorded while a strategy fails.
/// </summary>
public sealed class DedupIndexer(IGrainFactory grains, DedupGate gate)
{
    public async Task<IndexOutcome> IndexAsync(Guid id, string trigger, bool compare)
    {
        var customer = grains.GetGrain<ICustomerDedup>(id);
        if (await customer.GetDedupSubject() is not { } subject)
        {
            return IndexOutcome.Gone;
        }

        var card = CustomerCard.From(id, subject.Profile, subject.PoolId, subject.OwnerId, subject.CreatedAt, subject.Traits, subject.Fields);
        var rule = (await grains.GetGrain<IPoolGrain>(subject.PoolId).Get())?.Rules.Dedup;
        var keys = await gate.KeysAsync(card, rule);
        if (DedupPendingQueue.Reason(keys.Faults) is { } keysFailed)
        {
            return IndexOutcome.Failed(keysFailed);
        }

        var changed = !keys.Keys.SequenceEqual(subject.Keys.Order(StringComparer.Ordinal));
        var matches = new List<DedupMatch>();
        if (compare || changed)
        {
            var decision = await gate.CheckAsync(card, rule ?? new DedupPolicy(gate.IndexStrategies, "flag"), keys);
            if (DedupPendingQueue.Reason(decision.Faults) is { } compareFailed)
            {
                return IndexOutcome.Failed(compareFailed);
            }

            matches.AddRange(decision.Matches.Where(m => m.Action != "allow"));
        }

        if (!await customer.RecordDedupKeys(keys.Keys, subject.Version, trigger))
        {
            return IndexOutcome.Moved;
        }

        foreach (var match in matches)
        {
            await grains.GetGrain<ICustomerGrain>(id).FlagDuplicate(match.CustomerId, match, Actor.System);
            await grains.GetGrain<ICustomerGrain>(match.CustomerId).FlagDuplicate(id, match, Actor.System);
        }

        return new IndexOutcome(IndexStatus.Indexed, changed, matches.Count, null, subject.Version);
    }
}

public enum IndexStatus
{
    /// <summary>The keys are recorded and in the index.</summary>
    Indexed,

    /// <summary>The customer does not exist (merged away): nothing to index.</summary>
    Gone,

    /// <summary>A strategy failed; nothing was recorded.</summary>
    Failed,

    /// <summary>The customer changed while its keys were computed; try again.</summary>
    Moved,
}

/// <param name="Version">The customer's version whose card the recorded keys are of (when indexed).</param>
public sealed record IndexOutcome(IndexStatus Status, bool Changed, int Flagged, string? Fault, long Version = 0)
{
    public static IndexOutcome Gone { get; } = new(IndexStatus.Gone, false, 0, null);

    public static IndexOutcome Moved { get; } = new(IndexStatus.Moved, false, 0, null);

    public static IndexOutcome Failed(string fault) => new(IndexStatus.Failed, false, 0, fault);
}
