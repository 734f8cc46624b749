using Crm.Grains.Dedup;
using Crm.Grains.Dedup.Events;
using Crm.Grains.Outbox;

namespace Crm.Grains.Customers;

/// <summary>The customer grain's dedup re-indexing (<see cref="ICustomerDedup"/>); the work around it is <see cref="DedupIndexer"/>'s.</summary>
public sealed partial class CustomerGrain : ICustomerDedup
{
    public Task<DedupSubject?> GetDedupSubject() => Task.FromResult(S.Exists
        ? new DedupSubject(S.Profile, S.PoolId, S.OwnerId, S.CreatedAt, S.Version, S.DedupKeys.ToList(), S.Traits, CustomerCard.FieldsOf(S.CustomFields))
        : null);

    public async Task<bool> RecordDedupKeys(IReadOnlyList<string> keys, long expectedVersion, string trigger)
    {
        if (!S.Exists || S.Version != expectedVersion)
        {
            return false;
        }

        var sorted = keys.Distinct().Order(StringComparer.Ordinal).ToList();
        if (sorted.SequenceEqual(S.DedupKeys.Order(StringComparer.Ordinal)))
        {
            // Nothing new to record: the index gets the stored keys and card again (the rebuild's part).
            await delivery.RunAsync(IndexDedup.Of(Id, S));
            return true;
        }

        var dropped = S.DedupKeys.Except(sorted, StringComparer.Ordinal).ToList();
        await RaiseAsync(new DedupIndexed(clock.GetUtcNow(), null, sorted, dropped, trigger));
        return true;
    }
}
