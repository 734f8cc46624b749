using Crm.Grains.Customers;
using System.Data.Common;
using Dapper;
using Crm.Grains.Storage;
using Crm.Grains.Notes;

namespace Crm.Grains.EventLog;

/// <summary>
/// Runs a batch of customer commits inside one group-commit transaction. A snapshot that is not at the expected
/// version throws, which rolls the batch back; the writer then retries each commit alone, so only the stale one fails.
/// </summary>
public sealed class CustomerCommitWrites(EventLogFaults faults) : ISqlBulkWrite<CustomerCommit, bool>
{
    private const string InsertSnapshot = """
        INSERT INTO customer_snapshots (customer_id, version, state, updated_ms) VALUES (@p0, @p1, @p2, @p3)
        ON CONFLICT (customer_id) DO NOTHING
        """;

    private const string UpdateSnapshot =
        "UPDATE customer_snapshots SET version = @p1, state = @p2, updated_ms = @p3 WHERE customer_id = @p0 AND version = @p4";

    private const string InsertEvent = """
        INSERT INTO customer_events (customer_id, seq, at_ms, recorded_ms, kind, actor_id, data) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        """;

    private const string InsertOutbox = "INSERT INTO customer_outbox (customer_id, version, created_ms, effects) VALUES (@p0, @p1, @p2, @p3)";

    private const string DeleteRow = "DELETE FROM customers WHERE id = @p0";

    private const string DeleteStatusPool = "DELETE FROM customer_status_pools WHERE id = @p0";

    public bool[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<CustomerCommit> items)
    {
        foreach (var commit in items)
        {
            Append(sql, transaction, commit);
        }

        sql.Flush(transaction);
        return new bool[items.Count];
    }

    /// <summary>
    /// Commits that are one write: each item's commits are stored together or not at all (a batch's first commits, say),
    /// where <see cref="Execute"/>'s items may be split between transactions.
    /// </summary>
    public ISqlBulkWrite<IReadOnlyList<CustomerCommit>, bool> Together =>
        LazyInitializer.EnsureInitialized(ref _together, () => new ListWrites<CustomerCommit>(this));

    // One instance, so that the writer runs consecutive batches of it together (it groups writes by their kind).
    private ListWrites<CustomerCommit>? _together;

    private void Append(PreparedStatements sql, DbTransaction transaction, CustomerCommit c)
    {
        var connection = sql.Connection;
        faults.ThrowIfArmed(c.CustomerId);
        void Stored(int rows)
        {
            if (rows != 1)
            {
                throw new VersionConflictException(c.CustomerId, c.ExpectedVersion);
            }
        }

        if (c.ExpectedVersion == 0)
        {
            sql.Send(transaction, InsertSnapshot, [c.CustomerId, c.Version, c.Snapshot, c.RecordedMs], Stored);
        }
        else
        {
            sql.Send(transaction, UpdateSnapshot, [c.CustomerId, c.Version, c.Snapshot, c.RecordedMs, c.ExpectedVersion], Stored);
        }

        foreach (var e in c.Events)
        {
            sql.Send(transaction, InsertEvent, [c.CustomerId, e.Seq, e.AtMs, c.RecordedMs, e.Kind, e.ActorId, e.Json]);
        }

        if (c.Outbox is not null)
        {
            sql.Send(transaction, InsertOutbox, [c.CustomerId, c.Version, c.RecordedMs, c.Outbox]);
        }

        if (c.Row is { } row)
        {
            // Most commits (follow-ups, notes, flags) move the customer nowhere: its index entries and status pool stay.
            var before = c.RowBefore;
            sql.Send(transaction, before is not null && row.KeepsIndexedColumnsOf(before) ? CustomerRow.UpsertKeepingIndexedSql : CustomerRow.UpsertSql,
                [row.Id, row.Name, row.Company, row.Phone, row.PhoneDigits, row.Email, row.TaxId, row.Address, row.Source, row.Stage, row.PoolId,
                    row.OwnerId, row.OrgUnitId, row.CreatedMs, row.UpdatedMs, row.LastFollowUpMs, row.Search, row.Version]);
            sql.Send(transaction, before?.StatusPool == row.StatusPool ? CustomerRow.InsertMissingStatusPoolSql : CustomerRow.UpsertStatusPoolSql,
                [row.Id, row.StatusPool, row.Version]);
        }
        else
        {
            sql.Send(transaction, DeleteRow, [c.CustomerId]);
            sql.Send(transaction, DeleteStatusPool, [c.CustomerId]);
        }

        // Notes and read-model statements are written through Dapper, not queued: what was queued goes first, so the
        // statements keep their order.
        if (c.Notes.Count > 0)
        {
            sql.Flush(transaction);
            foreach (var note in c.Notes)
            {
                NoteProjection.WriteNote(connection, transaction, c.CustomerId, c.OrgUnitId, note.ActorId, note.At, note.Data);
            }
        }

        foreach (var statement in c.Statements ?? [])
        {
            sql.Send(transaction, statement.Sql, statement.Values);
        }

        if (c.ReadModel is { Count: > 0 })
        {
            sql.Flush(transaction);
            foreach (var statement in c.ReadModel)
            {
                connection.Execute(statement.Sql, statement.Args, transaction);
            }
        }
    }
}
