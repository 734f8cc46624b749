using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Grains.Storage;
using Crm.Grains.Common;
using Dapper;

namespace Crm.Grains.Dedup;

/// <summary>
/// The durable side of the dedup index: an append-only log per shard (table <c>dedup_log</c>), read once when a shard
/// activates and written through the group-commit writer. Each write is one row holding the keys and cards it adds and
/// removes: an import batch settles a shard's share of its ~8,000 keys and 500 cards as one row, where a row per key cost
/// the one writer more than anything else at a million customers. A shard replays its rows in position order; one that
/// read many writes its state back as a base in their place (<see cref="CompactAsync"/>). Only committed customers are
/// stored; reservations of creations in flight live in memory and die with the silo, which is right: their creation did
/// not finish. Customer grains are the truth: they re-commit their keys on activation, so the log heals.
/// </summary>
public sealed class DedupIndexStore(CrmDatabase database, SqlBatchWriter writer)
{
    /// <summary>A shard that read more change rows than this when it activated writes its state back as one base.</summary>
    public const int CompactAfterChanges = 64;

    private const int KeysPerBaseRow = 20_000;
    private const int CardsPerBaseRow = 5_000;

    // Cards are stored as written, not \u-escaped (a Chinese character is 3 bytes, not 6), and without their empty fields.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A shard's keys and cards as stored, and the rows they were read from (what a compaction replaces).</summary>
    public sealed record ShardRows(IReadOnlyList<IndexEntry> Keys, IReadOnlyList<LeadCard> Cards, IReadOnlyList<long> Positions, int Changes, bool Legacy)
    {
        /// <summary>Read from many change rows, or from the tables of the layout before the log: worth one base instead.</summary>
        public bool WorthCompacting => Changes > CompactAfterChanges || Legacy;
    }

    /// <summary>
    /// Replays the shard: its latest base (or, before it has one, the rows of the per-key tables of the earlier layout),
    /// then every change row in position order.
    /// </summary>
    public async Task<ShardRows> LoadAsync(int shard)
    {
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<(long Position, long? BaseOf, string Entries)>(
            "SELECT position AS Position, base_of AS BaseOf, entries AS Entries FROM dedup_log WHERE shard = @shard ORDER BY position", new { shard })).AsList();
        var keys = new HashSet<(string Key, Guid CustomerId)>();
        var cards = new Dictionary<Guid, LeadCard>();
        var latestBase = rows.Where(r => r.BaseOf is not null).Select(r => r.BaseOf).Max();
        var legacy = false;
        if (latestBase is null)
        {
            foreach (var (key, customerId) in await connection.QueryAsync<(string, string)>(
                         "SELECT key, customer_id FROM dedup_shard_keys WHERE shard = @shard", new { shard }))
            {
                keys.Add((key, Guid.Parse(customerId)));
                legacy = true;
            }

            foreach (var json in await connection.QueryAsync<string>("SELECT card_json FROM dedup_shard_cards WHERE shard = @shard", new { shard }))
            {
                var card = JsonSerializer.Deserialize<LeadCard>(json, Json)!;
                cards[Guid.Parse(card.Id)] = card;
                legacy = true;
            }
        }

        // A base holds everything up to its position; a change row still there was not read by the compaction that wrote
        // it (it committed after that read), so every change applies after the base, in order.
        var changes = 0;
        foreach (var row in rows.Where(r => r.BaseOf == latestBase && latestBase is not null).Concat(rows.Where(r => r.BaseOf is null)))
        {
            changes += row.BaseOf is null ? 1 : 0;
            var change = JsonSerializer.Deserialize<Change>(row.Entries, Json)!;
            foreach (var removed in change.RemovedKeys ?? [])
            {
                var customerId = removed.C;
                foreach (var key in removed.K)
                {
                    keys.Remove((key, customerId));
                }
            }

            foreach (var removed in change.RemovedCards ?? [])
            {
                cards.Remove(removed);
            }

            foreach (var added in change.Keys ?? [])
            {
                var customerId = added.C;
                foreach (var key in added.K)
                {
                    keys.Add((key, customerId));
                }
            }

            foreach (var card in change.Cards ?? [])
            {
                cards[Guid.Parse(card.Id)] = card;
            }
        }

        return new ShardRows(keys.Select(k => new IndexEntry(k.Key, k.CustomerId)).ToList(), cards.Values.ToList(),
            rows.Select(r => r.Position).ToList(), changes, legacy);
    }

    public Task AddKeysAsync(int shard, IReadOnlyList<IndexEntry> entries) => AddAsync(shard, Rows(entries), []);

    public Task RemoveKeysAsync(int shard, Guid customerId, IReadOnlyList<string> keys) =>
        keys.Count == 0 ? Task.CompletedTask : AppendAsync(shard, new Change { RemovedKeys = [new CustomerKeys(customerId, keys)] });

    public Task UpsertCardsAsync(int shard, IReadOnlyList<LeadCard> cards) => AddAsync(shard, [], cards);

    public Task DeleteCardAsync(int shard, Guid customerId) => AppendAsync(shard, new Change { RemovedCards = [customerId] });

    /// <summary>An import batch's keys in this shard (one claim per customer) and its cards: one row.</summary>
    public Task AddClaimsAsync(int shard, IReadOnlyList<KeyClaim> claims, IReadOnlyList<LeadCard> cards) =>
        AddAsync(shard, claims.Select(c => new CustomerKeys(c.CustomerId, c.Keys)).ToList(), cards);

    /// <summary>Keys and cards of one shard (an import batch's, a customer's): one row; none for nothing.</summary>
    private Task AddAsync(int shard, IReadOnlyList<CustomerKeys> keys, IReadOnlyList<LeadCard> cards) =>
        keys.Count + cards.Count == 0 ? Task.CompletedTask
            : AppendAsync(shard, new Change { Keys = keys.Count == 0 ? null : keys, Cards = cards.Count == 0 ? null : cards });

    // A customer's keys together: its id is written and parsed once, not once per key (replaying a million customers' log
    // at a restart parsed 10 million ids).
    private static List<CustomerKeys> Rows(IEnumerable<IndexEntry> entries) =>
        entries.GroupBy(e => e.CustomerId).Select(g => new CustomerKeys(g.Key, g.Select(e => e.Key).Distinct().ToList())).ToList();

    // Serialized here, by the caller, so that the one writer thread only runs SQL; straight to UTF-8, which SQLite stores as
    // it is (as a string it was 7 % of what an import allocated, and was encoded to UTF-8 again to be bound).
    private Task AppendAsync(int shard, Change change) =>
        writer.WriteAsync(LogAppends.Instance, (shard, new Utf8Text(JsonSerializer.SerializeToUtf8Bytes(change, Json))));

    /// <summary>Change rows appended to the log, many in one group commit.</summary>
    private sealed class LogAppends : ISqlBulkWrite<(int Shard, Utf8Text Entries), bool>
    {
        public static readonly LogAppends Instance = new();

        public bool[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<(int Shard, Utf8Text Entries)> items)
        {
            foreach (var (shard, entries) in items)
            {
                sql.Send(transaction, "INSERT INTO dedup_log (shard, base_of, entries) VALUES (@p0, NULL, @p1)", [shard, entries]);
            }

            sql.Flush(transaction);
            return new bool[items.Count];
        }
    }

    /// <summary>
    /// Writes <paramref name="keys"/> and <paramref name="cards"/> (what the shard keeps of <paramref name="loaded"/>: strays
    /// left out) as the shard's base, in place of the rows they were read from, in one transaction. Rows appended since the
    /// read stay and apply after the base. Always at least one base row, so that an empty shard does not read the earlier
    /// layout's tables again.
    /// </summary>
    public async Task CompactAsync(int shard, ShardRows loaded, IReadOnlyList<IndexEntry> keys, IReadOnlyList<LeadCard> cards)
    {
        // One shard at a time: after a restart every shard activates at once, and a million customers' bases written in one
        // group commit would hold the one writer (and every write queued behind it) for seconds.
        await _compacting.WaitAsync();
        try
        {
            await WriteBaseAsync(shard, loaded, keys, cards);
        }
        finally
        {
            _compacting.Release();
        }
    }

    private readonly SemaphoreSlim _compacting = new(1, 1);

    private Task WriteBaseAsync(int shard, ShardRows loaded, IReadOnlyList<IndexEntry> keys, IReadOnlyList<LeadCard> cards)
    {
        var baseOf = loaded.Positions.Count == 0 ? 0 : loaded.Positions.Max();
        var parts = keys.Chunk(KeysPerBaseRow).Select(part => new Change { Keys = Rows(part) })
            .Concat(cards.Chunk(CardsPerBaseRow).Select(part => new Change { Cards = part }))
            .DefaultIfEmpty(new Change())
            .Select(change => JsonSerializer.Serialize(change, Json)).ToList();
        var positions = JsonSerializer.Serialize(loaded.Positions);
        var postgres = database.Provider == DatabaseProvider.PostgreSql;
        return writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute(postgres ? DeletePositionsPostgres : DeletePositionsSqlite, new { positions }, transaction);
            if (loaded.Legacy)
            {
                connection.Execute("DELETE FROM dedup_shard_keys WHERE shard = @shard", new { shard }, transaction);
                connection.Execute("DELETE FROM dedup_shard_cards WHERE shard = @shard", new { shard }, transaction);
            }

            foreach (var entries in parts)
            {
                connection.Execute("INSERT INTO dedup_log (shard, base_of, entries) VALUES (@shard, @baseOf, @entries)", new { shard, baseOf, entries }, transaction);
            }
        });
    }

    private const string DeletePositionsSqlite = "DELETE FROM dedup_log WHERE position IN (SELECT value FROM json_each(@positions))";

    private const string DeletePositionsPostgres =
        "DELETE FROM dedup_log WHERE position IN (SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(@positions AS json)))";

    /// <summary>Rows of shards that no longer exist (the shard count was lowered): no shard would ever read or remove them.</summary>
    public Task RemoveShardsFromAsync(int shards) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute("DELETE FROM dedup_log WHERE shard >= @shards", new { shards }, transaction);
            connection.Execute("DELETE FROM dedup_shard_keys WHERE shard >= @shards", new { shards }, transaction);
            connection.Execute("DELETE FROM dedup_shard_cards WHERE shard >= @shards", new { shards }, transaction);
        });

    /// <summary>One customer's keys in a row: <c>{"c": id, "k": [keys]}</c>.</summary>
    private sealed record CustomerKeys(Guid C, IReadOnlyList<string> K);

    /// <summary>One row of the log: what one write added and removed.</summary>
    private sealed class Change
    {
        [JsonPropertyName("k")] public IReadOnlyList<CustomerKeys>? Keys { get; init; }
        [JsonPropertyName("x")] public IReadOnlyList<CustomerKeys>? RemovedKeys { get; init; }
        [JsonPropertyName("c")] public IReadOnlyList<LeadCard>? Cards { get; init; }
        [JsonPropertyName("d")] public IReadOnlyList<Guid>? RemovedCards { get; init; }
    }
}
