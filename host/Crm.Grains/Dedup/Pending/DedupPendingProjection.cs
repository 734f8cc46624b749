using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup.Pending;

/// <summary>
/// Queues a customer created while a dedup strategy failed (<see cref="Created.DedupPending"/>) in <c>dedup_pending</c>,
/// and a customer whose card an edit changed in <c>dedup_rekey</c> (<see cref="DedupRekeys"/>), in the customer's own
/// commit: a crash right after the creation or the edit cannot leave it stored without its keys and unqueued.
/// </summary>
public sealed class DedupPendingProjection(IOptions<DedupOptions> options) : ICustomerProjection
{
    private const string QueueSql = """
        INSERT INTO dedup_pending (customer_id, queued_ms, attempts, next_ms, last_error, last_error_ms)
        VALUES (@p0, @p1, 0, @p2, @p3, @p4) ON CONFLICT (customer_id) DO NOTHING
        """;

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        foreach (var e in events)
        {
            if (e is Created { DedupPending: { } reason } created)
            {
                var at = UnixTime.ToMs(created.At);
                into.Add(new CommitStatement(QueueSql, customerId.ToString(), at, at, reason, at));
            }
            else if (e is CustomerDetails.Events.DetailsEdited or CustomFields.Events.CustomFieldsChanged { DealId: null })
            {
                // The API keys the card before it answers and ends this wait; the retrier takes over after the grace.
                var due = UnixTime.ToMs(e.At + options.Value.EditRekeyGrace);
                into.Add(new CommitStatement(DedupRekeys.UpsertSql, customerId.ToString(), after.Version, due));
            }
        }
    }
}
