using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using Crm.Grains.Customers;

namespace Crm.Grains.EventLog;

/// <summary>
/// The commits of customers created together (an import batch) written table by table in multi-row statements: the
/// snapshots, events, outbox entries, list rows and status-pool rows of up to <see cref="RowsPerStatement"/> customers
/// per statement, instead of five statements per customer. The same rows as <see cref="CustomerCommitWrites"/> writes
/// (its SQL, one VALUES group per row); the projections' statements still run per customer. A snapshot already stored
/// throws <see cref="VersionConflictException"/> as there, which rolls the transaction back. Anything but plain creations
/// goes to <see cref="CustomerCommitWrites"/>.
/// </summary>
public sealed partial class CustomerCreationWrites(EventLogFaults faults, CustomerCommitWrites commits)
{
    private const int RowsPerStatement = 50;

    // Only the writer's own thread runs Execute, so neither needs a lock.
    private readonly Dictionary<(string Sql, int Rows), string> _multiRow = [];
    private PreparedStatements? _statements;

    public void Execute(DbConnection connection, DbTransaction transaction, IReadOnlyList<CustomerCommit> items)
    {
        // PostgreSQL refuses an upsert that touches one row twice in a statement: repeated ids go one at a time.
        if (!items.All(c => c is { ExpectedVersion: 0, Row: not null, Notes.Count: 0 } && (c.ReadModel?.Count ?? 0) == 0)
            || items.Select(c => c.CustomerId).Distinct(StringComparer.Ordinal).Count() != items.Count)
        {
            commits.Execute(connection, transaction, items);
            return;
        }

        if (!ReferenceEquals(_statements?.Connection, connection))
        {
            _statements?.Dispose();
            _statements = new PreparedStatements(connection);
        }

        foreach (var c in items)
        {
            faults.ThrowIfArmed(c.CustomerId);
        }

        var stored = Rows(transaction, CustomerCommitWrites.InsertSnapshot, items, c => [c.CustomerId, c.Version, c.Snapshot, c.RecordedMs]);
        if (stored != items.Count)
        {
            throw new VersionConflictException($"one of {items.Count} customers from {items[0].CustomerId}", 0);
        }

        Rows(transaction, CustomerCommitWrites.InsertEvent, items.SelectMany(c => c.Events.Select(e => (c, e))).ToList(),
            x => [x.c.CustomerId, x.e.Seq, x.e.AtMs, x.c.RecordedMs, x.e.Kind, x.e.ActorId, x.e.Json]);
        Rows(transaction, CustomerCommitWrites.InsertOutbox, items.Where(c => c.Outbox is not null).ToList(),
            c => [c.CustomerId, c.Version, c.RecordedMs, c.Outbox]);
        Rows(transaction, CustomerRow.UpsertSql, items.Select(c => c.Row!).ToList(),
            r => [r.Id, r.Name, r.Company, r.Phone, r.PhoneDigits, r.Email, r.TaxId, r.Address, r.Source, r.Stage, r.PoolId, r.OwnerId,
                r.OrgUnitId, r.CreatedMs, r.UpdatedMs, r.LastFollowUpMs, r.Search, r.Version]);
        Rows(transaction, CustomerRow.UpsertStatusPoolSql, items.Select(c => c.Row!).ToList(), r => [r.Id, r.StatusPool, r.Version]);
        foreach (var statement in items.SelectMany(c => c.Statements ?? []))
        {
            _statements.Execute(transaction, statement.Sql, statement.Values);
        }
    }

    /// <summary>Runs a one-row statement's SQL over all <paramref name="rows"/>, <see cref="RowsPerStatement"/> at a time; answers rows affected.</summary>
    private int Rows<T>(DbTransaction transaction, string oneRowSql, IReadOnlyList<T> rows, Func<T, object?[]> values)
    {
        var affected = 0;
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = MultiRow(oneRowSql, chunk.Length);
            affected += _statements!.Execute(transaction, sql, chunk.SelectMany(values).ToArray());
        }

        return affected;
    }

    /// <summary>The statement with its one <c>VALUES (@p0, …, @pN)</c> group repeated for <paramref name="rows"/> rows, numbered on.</summary>
    private string MultiRow(string oneRowSql, int rows)
    {
        if (rows == 1)
        {
            return oneRowSql;
        }

        if (!_multiRow.TryGetValue((oneRowSql, rows), out var sql))
        {
            var group = ValuesGroup().Match(oneRowSql);
            var columns = group.Groups["p"].Captures.Count;
            var values = new StringBuilder("VALUES ");
            for (var row = 0; row < rows; row++)
            {
                values.Append(row == 0 ? "(" : ", (")
                    .AppendJoin(", ", Enumerable.Range(row * columns, columns).Select(i => $"@p{i}"))
                    .Append(')');
            }

            _multiRow[(oneRowSql, rows)] = sql = string.Concat(oneRowSql.AsSpan(0, group.Index), values.ToString(), oneRowSql.AsSpan(group.Index + group.Length));
        }

        return sql;
    }

    [GeneratedRegex(@"VALUES \((?:(?<p>@p\d+)(?:, )?)+\)")]
    private static partial Regex ValuesGroup();
}
