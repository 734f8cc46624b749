using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Storage;
using Crm.Grains.Common;
using Dapper;

namespace Crm.Grains.Dedup;

/// <summary>
/// The durable side of the dedup index: tables <c>dedup_shard_keys</c> and <c>dedup_shard_cards</c>, keyed by shard
/// first, read once when a shard activates and written through the group-commit writer. Only committed customers are
/// stored; reservations of creations in flight live in memory and die with the silo, which is right: their creation did
/// not finish.
/// </summary>
public sealed class DedupIndexStore(CrmDatabase database, SqlBatchWriter writer)
{
    // Cards are stored as written, not \u-escaped (a Chinese character is 3 bytes, not 6), and without their empty fields.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<IReadOnlyList<IndexEntry>> LoadKeysAsync(int shard)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Key, string CustomerId)>(
            "SELECT key AS Key, customer_id AS CustomerId FROM dedup_shard_keys WHERE shard = @shard", new { shard });
        return rows.Select(r => new IndexEntry(r.Key, Guid.Parse(r.CustomerId))).ToList();
    }

    public async Task<IReadOnlyList<LeadCard>> LoadCardsAsync(int shard)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string>("SELECT card_json FROM dedup_shard_cards WHERE shard = @shard", new { shard });
        return rows.Select(json => JsonSerializer.Deserialize<LeadCard>(json, Json)!).ToList();
    }

    /// <summary>
    /// All the entries in one statement that reads them from one JSON parameter: a batch settles hundreds of entries per
    /// shard, and binding three parameters per row cost the one writer more than SQLite's insert itself (perf, 3 December).
    /// </summary>
    public Task AddKeysAsync(int shard, IReadOnlyList<IndexEntry> entries)
    {
        // Serialized here, by the caller, so that the one writer thread only runs SQL. Distinct: PostgreSQL refuses an
        // upsert that touches one row twice.
        var rows = JsonSerializer.Serialize(entries.Select(e => new KeyRow(e.Key, e.CustomerId.ToString())).Distinct(), Json);
        var sql = database.Provider == DatabaseProvider.PostgreSql ? AddKeysPostgres : AddKeysSqlite;
        return writer.WriteAsync((connection, transaction) => connection.Execute(sql, new { shard, rows }, transaction));
    }

    private sealed record KeyRow(string K, string C);

    // "WHERE true": SQLite's parser needs it between a SELECT's FROM and the upsert's ON CONFLICT.
    private const string AddKeysSqlite = """
        INSERT INTO dedup_shard_keys (shard, key, customer_id)
        SELECT @shard, json_extract(j.value, '$.k'), json_extract(j.value, '$.c') FROM json_each(@rows) AS j WHERE true
        ON CONFLICT DO NOTHING
        """;

    private const string AddKeysPostgres = """
        INSERT INTO dedup_shard_keys (shard, key, customer_id)
        SELECT @shard, r.k, r.c FROM json_to_recordset(CAST(@rows AS json)) AS r(k text, c text)
        ON CONFLICT DO NOTHING
        """;

    private const string DeleteKey = "DELETE FROM dedup_shard_keys WHERE shard = @shard AND customer_id = @id AND key = @key";

    private const string DeleteCard = "DELETE FROM dedup_shard_cards WHERE shard = @shard AND customer_id = @id";

    public Task RemoveKeysAsync(int shard, Guid customerId, IReadOnlyList<string> keys) =>
        writer.WriteAsync((connection, transaction) =>
            connection.Execute(DeleteKey, keys.Select(key => new { shard, key, id = customerId.ToString() }), transaction));

    public Task UpsertCardsAsync(int shard, IReadOnlyList<LeadCard> cards)
    {
        // Serialized here, by the caller, so that the one writer thread only runs SQL; one JSON parameter, as the keys.
        var rows = JsonSerializer.Serialize(cards.GroupBy(c => c.Id).Select(g => g.Last()).Select(c => new CardRow(c.Id, JsonSerializer.Serialize(c, Json))), Json);
        var sql = database.Provider == DatabaseProvider.PostgreSql ? UpsertCardsPostgres : UpsertCardsSqlite;
        return writer.WriteAsync((connection, transaction) => connection.Execute(sql, new { shard, rows }, transaction));
    }

    private sealed record CardRow(string I, string J);

    private const string CardsConflict = "ON CONFLICT (shard, customer_id) DO UPDATE SET card_json = excluded.card_json";

    private const string UpsertCardsSqlite = $"""
        INSERT INTO dedup_shard_cards (shard, customer_id, card_json)
        SELECT @shard, json_extract(j.value, '$.i'), json_extract(j.value, '$.j') FROM json_each(@rows) AS j WHERE true
        {CardsConflict}
        """;

    private const string UpsertCardsPostgres = $"""
        INSERT INTO dedup_shard_cards (shard, customer_id, card_json)
        SELECT @shard, r.i, r.j FROM json_to_recordset(CAST(@rows AS json)) AS r(i text, j text)
        {CardsConflict}
        """;

    public Task DeleteCardAsync(int shard, Guid customerId) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(DeleteCard, new { shard, id = customerId.ToString() }, transaction));

    /// <summary>
    /// Rows a shard found under its number that belong to another shard now (the shard count changed since they were
    /// written): removed, so that they neither occupy this shard nor come back if the count changes again.
    /// </summary>
    public Task RemoveStrayRowsAsync(int shard, IReadOnlyList<IndexEntry> keys, IReadOnlyList<Guid> cards) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute(DeleteKey, keys.Select(k => new { shard, key = k.Key, id = k.CustomerId.ToString() }), transaction);
            connection.Execute(DeleteCard, cards.Select(id => new { shard, id = id.ToString() }), transaction);
        });

    /// <summary>Rows of shards that no longer exist (the shard count was lowered): no shard would ever read or remove them.</summary>
    public Task RemoveShardsFromAsync(int shards) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute("DELETE FROM dedup_shard_keys WHERE shard >= @shards", new { shards }, transaction);
            connection.Execute("DELETE FROM dedup_shard_cards WHERE shard >= @shards", new { shards }, transaction);
        });
}
