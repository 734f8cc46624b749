using System.Data.Common;

namespace Crm.Grains.Storage;

/// <summary>
/// A kind of write that <see cref="SqlBatchWriter"/> runs many of at once inside one transaction, e.g. as one
/// prepared statement executed per row, or one round trip carrying all rows.
/// </summary>
/// <remarks>
/// Called only from the writer's own thread, one run at a time. Statements go through the first argument, the
/// writer's statements for its current connection (prepared once, finalized with the connection); a kind keeps no
/// statements of its own, as one kind may serve several writers; it flushes what it sends before it returns. An outcome that concerns one item (a stale version) is a
/// result, not an exception: throwing rolls back the whole transaction, after which the writer retries every
/// write alone so that only the faulty one fails.
/// </remarks>
public interface ISqlBulkWrite<TItem, TResult>
{
    /// <summary>Runs <paramref name="items"/> in order in the open transaction; one result per item.</summary>
    /// <param name="sql">The writer's statements; <see cref="PreparedStatements.Connection"/> is its connection.</param>
    TResult[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<TItem> items);
}
