using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.EventLog;

/// <summary>
/// A capability's read-model rows that follow a customer's events (deals, contracts, visits, …), written in the same
/// transaction as the events. Registered in DI; the customer grain asks every projection at every commit. A commit of
/// no events is a re-projection: a projection then writes again what it can from the snapshot. Statements must be
/// idempotent (versioned upserts, inserts keyed by the event's sequence number).
/// </summary>
public interface ICustomerProjection
{
    /// <param name="customerId">The customer.</param>
    /// <param name="after">The snapshot once the events applied.</param>
    /// <param name="events">The events of the commit; <paramref name="firstSeq"/> is the sequence number of the first.</param>
    /// <param name="firstSeq">The sequence number of <paramref name="events"/>[0].</param>
    /// <param name="into">Where to add the statements.</param>
    void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into);

    /// <summary>
    /// Called before <see cref="Project"/> in the same commit: a projection that needs something only an asynchronous call
    /// can get (the rep's calendar, say) fetches it here, so <see cref="Project"/> stays synchronous.
    /// </summary>
    ValueTask PrepareAsync(IReadOnlyList<CustomerEvent> events) => ValueTask.CompletedTask;
}
