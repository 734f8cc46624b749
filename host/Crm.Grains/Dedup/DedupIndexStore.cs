using System.Text.Json;
using Crm.Grains.Storage;
using Crm.Grains.Common;
using Dapper;

namespace Crm.Grains.Dedup;

/// <summary>
/// The durable side of the dedup index: tables <c>dedup_keys</c> and <c>dedup_cards</c>, read once when a shard
/// activates and written through the group-commit writer. Only committed customers are stored; reservations of
/// creations in flight live in memory and die with the silo, which is right: their creation did not finish.
/// </summary>
public sealed class DedupIndexStore(CrmDatabase database, SqlBatchWriter writer)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<IndexEntry>> LoadKeysAsync(int shard)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Key, string CustomerId)>(
            "SELECT key AS Key, customer_id AS CustomerId FROM dedup_keys WHERE shard = @shard", new { shard });
        return rows.Select(r => new IndexEntry(r.Key, Guid.Parse(r.CustomerId))).ToList();
    }

    public async Task<IReadOnlyList<LeadCard>> LoadCardsAsync(int shard)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string>("SELECT card_json FROM dedup_cards WHERE shard = @shard", new { shard });
        return rows.Select(json => JsonSerializer.Deserialize<LeadCard>(json, Json)!).ToList();
    }

    public Task AddKeysAsync(int shard, IReadOnlyList<IndexEntry> entries) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(
            // A row stored under another shard count moves to this shard (a reindex after Crm:Dedup:Shards changed).
            """
            INSERT INTO dedup_keys (shard, key, customer_id) VALUES (@shard, @Key, @Id)
            ON CONFLICT (key, customer_id) DO UPDATE SET shard = excluded.shard WHERE dedup_keys.shard <> excluded.shard
            """,
            entries.Select(e => new { shard, e.Key, Id = e.CustomerId.ToString() }), transaction));

    public Task RemoveKeysAsync(Guid customerId, IReadOnlyList<string> keys) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(
            "DELETE FROM dedup_keys WHERE key = @key AND customer_id = @id",
            keys.Select(key => new { key, id = customerId.ToString() }), transaction));

    public Task UpsertCardsAsync(int shard, IReadOnlyList<LeadCard> cards)
    {
        // Serialized here, by the caller, so that the one writer thread only runs SQL.
        var rows = cards.Select(c => new { c.Id, shard, json = JsonSerializer.Serialize(c, Json) }).ToList();
        return writer.WriteAsync((connection, transaction) => connection.Execute("""
            INSERT INTO dedup_cards (customer_id, shard, card_json) VALUES (@Id, @shard, @json)
            ON CONFLICT (customer_id) DO UPDATE SET shard = excluded.shard, card_json = excluded.card_json
            """, rows, transaction));
    }

    public Task DeleteCardAsync(Guid customerId) =>
        writer.WriteAsync((connection, transaction) =>
            connection.Execute("DELETE FROM dedup_cards WHERE customer_id = @id", new { id = customerId.ToString() }, transaction));
}
