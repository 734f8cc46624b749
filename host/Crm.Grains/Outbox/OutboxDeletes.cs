using System.Data.Common;
using Crm.Grains.Storage;
using Crm.Grains.EventLog;

namespace Crm.Grains.Outbox;

/// <summary>Deletes delivered outbox entries, many per group-commit transaction.</summary>
public sealed class OutboxDeletes : ISqlBulkWrite<OutboxKey, bool>
{
    private const string Delete = "DELETE FROM customer_outbox WHERE customer_id = @p0 AND version = @p1";

    private PreparedStatements? _statements;

    public bool[] Execute(DbConnection connection, DbTransaction transaction, IReadOnlyList<OutboxKey> items)
    {
        if (!ReferenceEquals(_statements?.Connection, connection))
        {
            _statements?.Dispose();
            _statements = new PreparedStatements(connection);
        }

        foreach (var key in items)
        {
            _statements.Send(transaction, Delete, [key.CustomerId, key.Version]);
        }

        _statements.Flush(transaction);

        return new bool[items.Count];
    }
}
