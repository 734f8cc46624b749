using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Crm.Tests.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Dedup;

/// <summary>
/// The index's tables on both databases: a shard's keys and cards written in one statement each (from one JSON
/// parameter) read back as written, repeats and Chinese text included; a card written again is replaced; rows removed
/// by shard and customer; keys and cards of the two earlier layouts move to the shard-first tables once.
/// </summary>
public sealed class DedupIndexStoreTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Keys_and_cards_of_a_shard_are_stored_in_bulk_and_read_back(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        var store = new DedupIndexStore(db.Database, writer);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        await store.AddKeysAsync(1, [new("name:明远科技", a), new("phone:+8613800138000", a), new("name:明远科技", b), new("phone:+8613800138000", a)]);
        await store.AddKeysAsync(2, [new("email:o'neil@example.com", b)]);
        await store.AddKeysAsync(1, [new("name:明远科技", b)]); // written again: still one row
        await store.AddKeysAsync(2, []);

        Assert.Equal(new[] { "name:明远科技|" + a, "name:明远科技|" + b, "phone:+8613800138000|" + a }.Order(StringComparer.Ordinal), Keys(await store.LoadKeysAsync(1)));
        Assert.Equal(["email:o'neil@example.com|" + b], Keys(await store.LoadKeysAsync(2)));

        await store.RemoveKeysAsync(1, a, ["phone:+8613800138000", "name:never-held"]);
        await store.RemoveKeysAsync(2, b, ["name:明远科技"]); // b's name key is in shard 1, not 2: it stays
        Assert.Equal(new[] { "name:明远科技|" + a, "name:明远科技|" + b }.Order(StringComparer.Ordinal), Keys(await store.LoadKeysAsync(1)));

        var first = new LeadCard(a.ToString(), "王经理", Company: "明远科技有限公司", Phone: "+86 138 0013 8000");
        await store.UpsertCardsAsync(5, [first, new LeadCard(b.ToString(), "\"Quoted\" \\ name", Company: "Acme, Ltd.", Fields: new Dictionary<string, string> { ["行业"] = "制造" })]);
        await store.UpsertCardsAsync(5, [first with { Company = "明远科技" }, first with { Company = "明远科技（北京）" }]);

        var cards = (await store.LoadCardsAsync(5)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(2, cards.Count);
        Assert.Equal(("\"Quoted\" \\ name", "Acme, Ltd.", "制造"), (cards[0].Name, cards[0].Company, cards[0].Fields!["行业"]));
        Assert.Equal(("王经理", "明远科技（北京）", "+86 138 0013 8000"), (cards[1].Name, cards[1].Company, cards[1].Phone)); // the last write wins
        Assert.Null(cards[1].Email);

        // Stored as written: a Chinese character takes its three UTF-8 bytes, not a six-character escape.
        await using (var connection = await db.Database.OpenAsync())
        {
            var json = await connection.ExecuteScalarAsync<string>("SELECT card_json FROM dedup_shard_cards WHERE customer_id = @id", new { id = a.ToString() });
            Assert.Contains("明远科技（北京）", json);
            Assert.DoesNotContain("null", json);
        }

        await store.DeleteCardAsync(5, a);
        Assert.Equal([b.ToString()], (await store.LoadCardsAsync(5)).Select(c => c.Id));
        await store.RemoveStrayRowsAsync(1, [new("name:明远科技", b)], [b]); // b's card is in shard 5: it stays
        Assert.Equal(["name:明远科技|" + a], Keys(await store.LoadKeysAsync(1)));
        Assert.Equal([b.ToString()], (await store.LoadCardsAsync(5)).Select(c => c.Id));

        await store.RemoveShardsFromAsync(2); // the shard count lowered to 2: shards 2 and 5 are gone
        Assert.Equal(["name:明远科技|" + a], Keys(await store.LoadKeysAsync(1)));
        Assert.Empty(await store.LoadKeysAsync(2));
        Assert.Empty(await store.LoadCardsAsync(5));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Keys_and_cards_stored_in_the_earlier_layouts_move_to_the_shard_first_tables_once(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = await db.Database.OpenAsync())
        {
            // What databases of the earlier layouts hold: dedup_keys keyed by (key, customer_id) before 3 December,
            // dedup_customer_keys keyed by (customer_id, key) and dedup_cards keyed by customer_id before 4 December.
            foreach (var table in new[] { "dedup_keys", "dedup_customer_keys", "dedup_shard_keys", "dedup_cards", "dedup_shard_cards" })
            {
                await connection.ExecuteAsync($"DROP TABLE IF EXISTS {table}");
            }

            await connection.ExecuteAsync(
                "CREATE TABLE dedup_keys (shard INTEGER NOT NULL, key TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (key, customer_id))");
            await connection.ExecuteAsync(
                "CREATE TABLE dedup_customer_keys (shard INTEGER NOT NULL, customer_id TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (customer_id, key))");
            await connection.ExecuteAsync("CREATE TABLE dedup_cards (customer_id TEXT PRIMARY KEY, shard INTEGER NOT NULL, card_json TEXT NOT NULL)");
            await connection.ExecuteAsync("INSERT INTO dedup_keys (shard, key, customer_id) VALUES (@shard, @key, @id)",
                new[]
                {
                    new { shard = 3, key = "phone:+8613800138000", id = a.ToString() }, new { shard = 3, key = "name:明远科技", id = a.ToString() },
                    new { shard = 7, key = "name:明远科技", id = b.ToString() },
                });
            await connection.ExecuteAsync("INSERT INTO dedup_customer_keys (shard, key, customer_id) VALUES (@shard, @key, @id)",
                new[] { new { shard = 7, key = "name:明远科技", id = c.ToString() }, new { shard = 3, key = "name:明远科技", id = a.ToString() } });
            await connection.ExecuteAsync("INSERT INTO dedup_cards (customer_id, shard, card_json) VALUES (@id, 9, @json)",
                new { id = c.ToString(), json = $$$"""{"id":"{{{c}}}","name":"\u738B\u7ECF\u7406","company":"明远","taxId":null,"fields":{}}""" });
        }

        SchemaInstaller.Apply(db.Database, db.Directory);
        SchemaInstaller.Apply(db.Database, db.Directory); // a later start: nothing moves twice, nothing is lost

        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        var store = new DedupIndexStore(db.Database, writer);
        Assert.Equal(["name:明远科技|" + a, "phone:+8613800138000|" + a], Keys(await store.LoadKeysAsync(3)));
        Assert.Equal(new[] { "name:明远科技|" + b, "name:明远科技|" + c }.Order(StringComparer.Ordinal), Keys(await store.LoadKeysAsync(7)));
        Assert.Equal([("王经理", "明远")], (await store.LoadCardsAsync(9)).Select(card => (card.Name, card.Company)));
        await store.RemoveKeysAsync(3, a, ["phone:+8613800138000"]);
        Assert.Equal(["name:明远科技|" + a], Keys(await store.LoadKeysAsync(3)));
        await using var check = await db.Database.OpenAsync();
        foreach (var table in new[] { "dedup_keys", "dedup_customer_keys", "dedup_cards" })
        {
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(provider == DatabaseProvider.Sqlite
                ? $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{table}'"
                : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '{table}'"));
        }
    }

    private static List<string> Keys(IReadOnlyList<IndexEntry> entries) =>
        entries.Select(e => $"{e.Key}|{e.CustomerId}").Order(StringComparer.Ordinal).ToList();
}
