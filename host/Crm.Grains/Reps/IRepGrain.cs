using Crm.Grains.Common;

namespace Crm.Grains.Reps;

/// <summary>
/// A rep's private pool (key: the rep's user id). An index of the customers the rep owns; the customer
/// grains are the truth and call in here idempotently when ownership changes.
/// </summary>
public interface IRepGrain : IGrainWithStringKey
{
    /// <summary>Takes a customer into the private pool, unless a limit refuses it. Taking one already held is a no-op.</summary>
    Task<CrmError?> TryTake(Guid customerId, string poolId, OwnershipLimits limits, bool countsAsClaim);

    /// <summary>Drops a customer from the private pool; dropping one not held is a no-op.</summary>
    Task Drop(Guid customerId);

    Task<IReadOnlyList<OwnedCustomer>> GetOwned();
}
