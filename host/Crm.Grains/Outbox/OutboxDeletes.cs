using System.Data.Common;
using Crm.Grains.Storage;

namespace Crm.Grains.Outbox;

/// <summary>Deletes delivered outbox entries, many per group-commit transaction.</summary>
public sealed class OutboxDeletes : ISqlBulkWrite<OutboxKey, bool>
{
    private const string Delete = "DELETE FROM customer_outbox WHERE customer_id = @p0 AND version = @p1";

    public static OutboxDeletes Instance { get; } = new();

    /// <summary>Each item a list of entries deleted as one write: a batch's, after it was delivered in bulk.</summary>
    public static ISqlBulkWrite<IReadOnlyList<OutboxKey>, bool> Lists { get; } = new ListWrites<OutboxKey>(Instance);

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
