using Crm.Grains.Customers;
using System.Data.Common;
using Dapper;
using Crm.Grains.Storage;
using Crm.Grains.Notes;
using NpgsqlTypes;

namespace Crm.Grains.EventLog;

/// <summary>
/// Runs a batch of customer commits inside one group-commit transaction. A snapshot that is not at the expected
/// version throws, which rolls the batch back; the writer then retries each commit alone, so only the stale one fails.
/// </summary>
public sealed class CustomerCommitWrites(EventLogFaults faults) : ISqlBulkWrite<CustomerCommit, bool>
{
    private static readonly RowStatement InsertSnapshot = new("""
        INSERT INTO customer_snapshots (customer_id, version, state, updated_ms) VALUES (@p0, @p1, @p2, @p3)
        ON CONFLICT (customer_id) DO NOTHING
        """, """
        INSERT INTO customer_snapshots (customer_id, version, state, updated_ms)
        SELECT * FROM unnest(@p0::text[], @p1::bigint[], @p2::bytea[], @p3::bigint[])
        ON CONFLICT (customer_id) DO NOTHING
        """, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bytea, NpgsqlDbType.Bigint)
    {
        Shortfall = Conflict,
    };

    // Row by row on PostgreSQL too: an UPDATE joined to an array is planned (a prepared statement once for good), and a plan
    // made while the table was small scans all of it once it is large.
    private const string UpdateSnapshot =
        "UPDATE customer_snapshots SET version = @p1, state = @p2, updated_ms = @p3 WHERE customer_id = @p0 AND version = @p4";

    private static readonly RowStatement InsertEvent = new("""
        INSERT INTO customer_events (customer_id, seq, at_ms, recorded_ms, kind, actor_id, data) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        """, """
        INSERT INTO customer_events (customer_id, seq, at_ms, recorded_ms, kind, actor_id, data)
        SELECT * FROM unnest(@p0::text[], @p1::bigint[], @p2::bigint[], @p3::bigint[], @p4::text[], @p5::text[], @p6::text[])
        """, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text);

    private static readonly RowStatement InsertOutbox = new(
        "INSERT INTO customer_outbox (customer_id, version, created_ms, effects) VALUES (@p0, @p1, @p2, @p3)", """
        INSERT INTO customer_outbox (customer_id, version, created_ms, effects)
        SELECT * FROM unnest(@p0::text[], @p1::bigint[], @p2::bigint[], @p3::bytea[])
        """, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bytea);

    // Many commits' snapshots in one statement: which of them was stale is found when the writer runs each alone.
    private static Exception Conflict(int queued, int stored) => new VersionConflictException(queued - stored, queued);

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
            sql.SendRow(transaction, InsertSnapshot, [c.CustomerId, c.Version, c.Snapshot, c.RecordedMs], Stored);
        }
        else
        {
            sql.Send(transaction, UpdateSnapshot, [c.CustomerId, c.Version, c.Snapshot, c.RecordedMs, c.ExpectedVersion], Stored);
        }

        foreach (var e in c.Events)
        {
            sql.SendRow(transaction, InsertEvent, [c.CustomerId, e.Seq, e.AtMs, c.RecordedMs, e.Kind, e.ActorId, e.Json]);
        }

        if (c.Outbox is not null)
        {
            sql.SendRow(transaction, InsertOutbox, [c.CustomerId, c.Version, c.RecordedMs, c.Outbox]);
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
