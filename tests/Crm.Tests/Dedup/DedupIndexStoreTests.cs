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
/// parameter) read back as written, repeats and Chinese text included; a key stored under another shard moves to the
/// writing shard; a card written again is replaced; keys of the earlier (key-first) layout move to the customer-first table.
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
        await store.AddKeysAsync(2, [new("name:明远科技", b), new("email:o'neil@example.com", b)]);
        await store.AddKeysAsync(2, []);

        Assert.Equal(["name:明远科技|" + a, "phone:+8613800138000|" + a], Keys(await store.LoadKeysAsync(1)));
        Assert.Equal(["email:o'neil@example.com|" + b, "name:明远科技|" + b], Keys(await store.LoadKeysAsync(2))); // b's name key moved to shard 2

        var first = new LeadCard(a.ToString(), "王经理", Company: "明远科技有限公司", Phone: "+86 138 0013 8000");
        await store.UpsertCardsAsync(5, [first, new LeadCard(b.ToString(), "\"Quoted\" \\ name", Company: "Acme, Ltd.")]);
        await store.UpsertCardsAsync(5, [first with { Company = "明远科技" }, first with { Company = "明远科技（北京）" }]);

        var cards = (await store.LoadCardsAsync(5)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(2, cards.Count);
        Assert.Equal(("\"Quoted\" \\ name", "Acme, Ltd."), (cards[0].Name, cards[0].Company));
        Assert.Equal(("王经理", "明远科技（北京）", "+86 138 0013 8000"), (cards[1].Name, cards[1].Company, cards[1].Phone)); // the last write wins
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Keys_stored_in_the_layout_before_3_December_move_to_the_customer_first_table_once(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = await db.Database.OpenAsync())
        {
            // What a database of the earlier layout holds: dedup_keys keyed by (key, customer_id).
            await connection.ExecuteAsync(
                "CREATE TABLE dedup_keys (shard INTEGER NOT NULL, key TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (key, customer_id))");
            await connection.ExecuteAsync("INSERT INTO dedup_keys (shard, key, customer_id) VALUES (@shard, @key, @id)",
                new[]
                {
                    new { shard = 3, key = "phone:+8613800138000", id = a.ToString() }, new { shard = 3, key = "name:明远科技", id = a.ToString() },
                    new { shard = 7, key = "name:明远科技", id = b.ToString() },
                });
        }

        SchemaInstaller.Apply(db.Database, db.Directory);
        SchemaInstaller.Apply(db.Database, db.Directory); // a later start: nothing moves twice, nothing is lost

        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        var store = new DedupIndexStore(db.Database, writer);
        Assert.Equal(["name:明远科技|" + a, "phone:+8613800138000|" + a], Keys(await store.LoadKeysAsync(3)));
        Assert.Equal(["name:明远科技|" + b], Keys(await store.LoadKeysAsync(7)));
        await store.RemoveKeysAsync(a, ["phone:+8613800138000"]);
        Assert.Equal(["name:明远科技|" + a], Keys(await store.LoadKeysAsync(3)));
        await using var check = await db.Database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>(provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'dedup_keys'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'dedup_keys'"));
    }

    private static List<string> Keys(IReadOnlyList<IndexEntry> entries) =>
        entries.Select(e => $"{e.Key}|{e.CustomerId}").Order(StringComparer.Ordinal).ToList();
}
