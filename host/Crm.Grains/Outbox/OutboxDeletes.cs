using System.Data.Common;
using Crm.Grains.Storage;
using Crm.Grains.EventLog;

namespace Crm.Grains.Outbox;

/// <summary>Deletes delivered outbox entries, many per group-commit transaction.</summary>
public sealed class OutboxDeletes : ISqlBulkWrite<OutboxKey, bool>
{
    private const string Delete = "DELETE FROM customer_outbox WHERE customer_id = @p0 AND version = @p1";

    public bool[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<OutboxKey> items)
    {
        foreach (var key in items)
        {
            sql.Send(transaction, Delete, [key.CustomerId, key.Version]);
        }

        sql.Flush(transaction);

        return new bool[items.Count];
    }
}
