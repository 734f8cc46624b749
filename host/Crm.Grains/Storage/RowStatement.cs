using NpgsqlTypes;

namespace Crm.Grains.Storage;

/// <summary>
/// A statement run once per row (<see cref="Sql"/>, parameters <c>@p0, @p1, …</c>) that PostgreSQL runs for every row
/// queued before a flush at once (<see cref="ManySql"/>: parameter <c>@pN</c> the array of every row's Nth value, typed by
/// <see cref="Columns"/>). On PostgreSQL each statement of a batch costs the server a parse, a bind and an executor start:
/// an import's 250 customers per transaction were some 1,500 of them.
/// </summary>
/// <remarks>
/// Only for inserts whose rows do not depend on one another within a transaction, at most one row stored per row queued:
/// the rows run after the transaction's other statements. Not for an update or a delete joined to the array: PostgreSQL
/// plans the join, keeps a prepared statement's plan, and a plan made while the table was small scans all of it later. A statement that must change every row passes a <see cref="Shortfall"/>: when fewer rows changed than
/// were queued, the flush throws what it makes of the count (a lone row gets its own check, which can name it).
/// </remarks>
public sealed class RowStatement(string sql, string manySql, params NpgsqlDbType[] columns)
{
    public string Sql { get; } = sql;

    public string ManySql { get; } = manySql;

    public IReadOnlyList<NpgsqlDbType> Columns { get; } = columns;

    /// <summary>What a flush throws when it queued many rows and fewer changed: (queued, changed) to the exception.</summary>
    public Func<int, int, Exception>? Shortfall { get; init; }
}
