using Crm.Grains.Common;
using Crm.Grains.Pools;

namespace Crm.Grains.Reps;

/// <summary>
/// A rep's private pool (key: the rep's user id). An index of the customers the rep owns with their recycle
/// deadlines; the customer grains are the truth and call in here idempotently when ownership or the facts
/// behind a deadline change. One timer per active grain sweeps due deadlines; one reminder wakes the grain
/// after a restart or deactivation.
/// </summary>
public interface IRepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes a customer into the private pool, unless a limit refuses it; <paramref name="version"/> is the customer's
    /// version the take will commit at. Taking one already held is a no-op.
    /// </summary>
    Task<CrmError?> TryTake(Guid customerId, string poolId, OwnershipLimits limits, bool countsAsClaim, long version);

    /// <summary>
    /// The customer's outbox reports the facts its deadline follows. Idempotent; ignores reports older than the one
    /// held, and reports of customers not held unless <paramref name="adopt"/> (a re-projection healing the index):
    /// a late report never brings back a customer that has left.
    /// </summary>
    Task Track(Guid customerId, string poolId, RecycleFacts facts, bool adopt = false);

    /// <summary>
    /// Drops a customer from the private pool; dropping one not held is a no-op. With <paramref name="version"/>, an entry
    /// taken or reported at a later version stays: a late drop never undoes a new claim.
    /// </summary>
    Task Drop(Guid customerId, long? version = null);

    /// <summary>
    /// Undoes a <see cref="TryTake"/> at <paramref name="version"/> whose commit failed: drops the entry that take put in
    /// and gives back the day's claim it counted. An entry held from before (the take was a no-op) stays.
    /// </summary>
    Task GiveBack(Guid customerId, string poolId, bool countedAsClaim, long version);

    Task<IReadOnlyList<OwnedCustomer>> GetOwned();

    /// <summary>
    /// A number that changes whenever the private pool or one of its customers may have changed (every take, report and
    /// drop: a commit of an owned customer always reports here), from a random start at each activation. Readers
    /// cache pages of the private pool under it (Server/Api/Reps/PrivatePoolPages), so a page costs this one call.
    /// </summary>
    [ReadOnly]
    Task<long> PrivatePoolVersion();

    /// <summary>The customers that drop within the next <paramref name="days"/> days, soonest first.</summary>
    Task<IReadOnlyList<DueEntry>> GetDue(double days);

    /// <summary>
    /// The rules of <paramref name="poolId"/> changed to <paramref name="version"/>: recompute the deadlines of its customers
    /// now (a shorter clock may make one due before the grain's next wake-up). One-way, sent by the pool grain.
    /// </summary>
    [OneWay]
    Task RulesChanged(string poolId, long version);

    /// <summary>
    /// Runs a sweep now: the timer and the reminder call the same code. Interleaves with other calls so
    /// that customer grains, asked to recycle, may call back in without a deadlock.
    /// </summary>
    [AlwaysInterleave]
    Task<SweepReport> SweepNow();
}
