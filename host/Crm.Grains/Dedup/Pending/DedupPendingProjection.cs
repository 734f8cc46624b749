using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.Dedup.Pending;

/// <summary>
/// Queues a customer created while a dedup strategy failed (<see cref="Created.DedupPending"/>) in <c>dedup_pending</c>,
/// in the customer's own commit: a crash right after the creation cannot leave it stored without its keys and unqueued.
/// </summary>
public sealed class DedupPendingProjection : ICustomerProjection
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
        }
    }
}
