using System.Data.Common;
using Crm.Grains.EventLog;
using Crm.Grains.Storage;

namespace Crm.Grains.Notifications;

/// <summary>Inserts an inbox's batch of new notifications; many inboxes' batches share one group commit.</summary>
public sealed class NotificationInserts : ISqlBulkWrite<IReadOnlyList<NotificationRow>, bool>
{
    private const string Insert = """
        INSERT INTO notifications (user_id, id, event_type, data, event_key, at_ms, created_ms)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        """;

    public bool[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<IReadOnlyList<NotificationRow>> items)
    {
        foreach (var batch in items)
        {
            foreach (var row in batch)
            {
                sql.Send(transaction, Insert, [row.UserId, row.Id, row.EventType, row.Data, row.EventKey, row.AtMs, row.CreatedMs]);
            }
        }

        sql.Flush(transaction);

        return new bool[items.Count];
    }
}
