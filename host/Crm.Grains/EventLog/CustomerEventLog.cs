using System.Data.Common;
using System.Globalization;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Storage;
using Dapper;
using Orleans.Serialization;

namespace Crm.Grains.EventLog;

/// <summary>
/// The customers' event log and snapshots. Appends go through the group-commit writer (<see cref="SqlBatchWriter"/>):
/// a customer's commit shares a transaction with others' and completes after it. Reads run on pooled connections.
/// </summary>
public sealed class CustomerEventLog(CrmDatabase database, SqlBatchWriter writer, CustomerCommitWrites commits, Serializer serializer)
{
    /// <summary>A timeline page holds at most this many entries.</summary>
    public const int MaxPage = 200;

    /// <summary>Commits (snapshot, events, outbox entry, read-model rows) once durable; throws when it is not.</summary>
    public Task AppendAsync(CustomerCommit commit) => writer.WriteAsync(commits, commit);

    public byte[] Serialize(CustomerState state) => serializer.SerializeToArray(state);

    /// <summary>A stored snapshot as the grain gets it: read, then without the empty collections of older snapshots.</summary>
    public CustomerState? Deserialize(byte[] bytes) => serializer.Deserialize<CustomerState>(bytes)?.DropEmpty();

    /// <summary>The customer's snapshot, or null when it was never created; with the bytes read, for diagnostics.</summary>
    public async Task<(CustomerState? State, int Bytes)> LoadAsync(Guid customerId)
    {
        var bytes = await Task.Run(async () =>
        {
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT state FROM customer_snapshots WHERE customer_id = @id";
            Add(command, "@id", customerId.ToString());
            return await command.ExecuteScalarAsync() as byte[];
        });
        return bytes is null ? (null, 0) : (Deserialize(bytes), bytes.Length);
    }

    /// <summary>
    /// A page of the timeline of <paramref name="customerId"/> and the customers merged into it, newest first, before the
    /// position <paramref name="before"/> (exclusive), of one <paramref name="kind"/> if given. Entries of merged customers carry <c>mergedFrom</c> in their data.
    /// </summary>
    public Task<HistoryPage> ReadTimelineAsync(Guid customerId, IReadOnlyList<Guid> merged, long? before, int limit, string? kind = null) => Task.Run(async () =>
    {
        var self = customerId.ToString();
        var args = new DynamicParameters(new { before = before ?? long.MaxValue, self, mergedInto = TimelineKinds.MergedInto, limit = limit + 1, kind });
        var ids = SqlIn.List("customer_id", [self, .. merged.Select(m => m.ToString())], args, "id");
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<StoredEvent>($"""
            SELECT position AS Position, customer_id AS CustomerId, seq AS Seq, data AS Json FROM customer_events
            WHERE {ids} AND position < @before AND (customer_id = @self OR kind <> @mergedInto){(kind is null ? "" : " AND kind = @kind")}
            ORDER BY position DESC LIMIT @limit
            """, args)).ToList();
        var more = rows.Count > limit;
        var items = rows.Take(limit).Select(r => ToEntry(r, self)).ToList();
        return new HistoryPage(items, more ? items[^1].Position.ToString(CultureInfo.InvariantCulture) : null);
    });

    /// <summary>
    /// The events of one <paramref name="kind"/> of <paramref name="customerId"/> and the customers merged into it, oldest
    /// first: for a decision that needs more of the history than the snapshot keeps, such as a refund's date (Contracts/).
    /// </summary>
    public Task<IReadOnlyList<CustomerEvent>> ReadEventsAsync(Guid customerId, IReadOnlyList<Guid> merged, string kind) => Task.Run(async () =>
    {
        var args = new DynamicParameters(new { kind });
        var ids = SqlIn.List("customer_id", [customerId.ToString(), .. merged.Select(m => m.ToString())], args, "id");
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string>($"SELECT data FROM customer_events WHERE {ids} AND kind = @kind ORDER BY position", args);
        return (IReadOnlyList<CustomerEvent>)rows.Select(EventJson.Read).ToList();
    });

    /// <summary>
    /// The log position of the customer's event <paramref name="seq"/> (its timeline cursor), or 0 when it has none: the
    /// database numbers events as they are appended, so a command that answers an entry it just recorded reads it back.
    /// The customer's own events from the newest back, on its (customer, position) index: a just-recorded one is the first.
    /// </summary>
    public Task<long> PositionOfAsync(Guid customerId, long seq) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("""
            SELECT position FROM customer_events WHERE customer_id = @id AND seq = @seq ORDER BY position DESC LIMIT 1
            """, new { id = customerId.ToString(), seq }) ?? 0;
    });

    /// <summary>Customer ids after <paramref name="after"/> in id order: how a rebuild walks every customer ever created.</summary>
    public async Task<IReadOnlyList<Guid>> IdsAfterAsync(string? after, int count)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id FROM customer_snapshots WHERE customer_id > @after ORDER BY customer_id LIMIT @count";
        Add(command, "@after", after ?? "");
        Add(command, "@count", count);
        var ids = new List<Guid>(count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    private static HistoryEntry ToEntry(StoredEvent row, string self)
    {
        var e = EventJson.Read(row.Json);
        var shown = e.Describe();
        if (row.CustomerId != self && e.Kind != TimelineKinds.Merged)
        {
            shown.Data["mergedFrom"] = row.CustomerId;
        }

        return new HistoryEntry((int)row.Seq, e.At, e.Kind, e.ActorId, shown.Reason, shown.Text, shown.Data, row.Position);
    }

    private sealed record StoredEvent(long Position, string CustomerId, long Seq, string Json);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
