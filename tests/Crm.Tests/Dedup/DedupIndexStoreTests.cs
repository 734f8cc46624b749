using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Crm.Tests.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Dedup;

/// <summary>
/// The index's log on both databases: a shard's keys and cards written as rows of changes read back as written,
/// repeats and Chinese text included; a card written again is replaced; keys and cards removed by shard and customer; a
/// compaction writes the state as a base in place of the rows it read and keeps what was appended since; keys and cards of
/// the earlier layouts are read as a shard's first base and leave their tables with its first compaction.
/// </summary>
public sealed class DedupIndexStoreTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Keys_and_cards_of_a_shard_are_logged_and_replayed(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        var store = new DedupIndexStore(db.Database, writer);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        await store.AddKeysAsync(1, [new("name:明远科技", a), new("phone:+8613800138000", a), new("name:明远科技", b), new("phone:+8613800138000", a)]);
        await store.AddKeysAsync(2, [new("email:o'neil@example.com", b)]);
        await store.AddKeysAsync(1, [new("name:明远科技", b)]); // written again: still one entry
        await store.AddKeysAsync(2, []);

        Assert.Equal(new[] { "name:明远科技|" + a, "name:明远科技|" + b, "phone:+8613800138000|" + a }.Order(StringComparer.Ordinal), Keys(await store.LoadAsync(1)));
        Assert.Equal(["email:o'neil@example.com|" + b], Keys(await store.LoadAsync(2)));

        await store.RemoveKeysAsync(1, a, ["phone:+8613800138000", "name:never-held"]);
        await store.RemoveKeysAsync(2, b, ["name:明远科技"]); // b's name key is in shard 1, not 2: it stays
        Assert.Equal(new[] { "name:明远科技|" + a, "name:明远科技|" + b }.Order(StringComparer.Ordinal), Keys(await store.LoadAsync(1)));
        await store.AddKeysAsync(1, [new("phone:+8613800138000", a)]); // added again after its removal: held again
        Assert.Contains("phone:+8613800138000|" + a, Keys(await store.LoadAsync(1)));

        var first = new LeadCard(a.ToString(), "王经理", Company: "明远科技有限公司", Phone: "+86 138 0013 8000");
        await store.UpsertCardsAsync(5, [first, new LeadCard(b.ToString(), "\"Quoted\" \\ name", Company: "Acme, Ltd.", Fields: new Dictionary<string, string> { ["行业"] = "制造" })]);
        await store.UpsertCardsAsync(5, [first with { Company = "明远科技" }, first with { Company = "明远科技（北京）" }]);

        var cards = (await store.LoadAsync(5)).Cards.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(2, cards.Count);
        Assert.Equal(("\"Quoted\" \\ name", "Acme, Ltd.", "制造"), (cards[0].Name, cards[0].Company, cards[0].Fields!["行业"]));
        Assert.Equal(("王经理", "明远科技（北京）", "+86 138 0013 8000"), (cards[1].Name, cards[1].Company, cards[1].Phone)); // the last write wins
        Assert.Null(cards[1].Email);

        // Stored as written: a Chinese character takes its three UTF-8 bytes, not a six-character escape; no empty fields.
        await using (var connection = await db.Database.OpenAsync())
        {
            var rows = (await connection.QueryAsync<string>("SELECT entries FROM dedup_log WHERE shard = 5")).ToList();
            Assert.Contains(rows, json => json.Contains("明远科技（北京）"));
            Assert.All(rows, json => Assert.DoesNotContain("null", json));
        }

        await store.DeleteCardAsync(5, a);
        Assert.Equal([b.ToString()], (await store.LoadAsync(5)).Cards.Select(c => c.Id));

        // An import batch's share of a shard: keys and cards in one row.
        var c = Guid.NewGuid();
        await store.AddClaimsAsync(5, [new KeyClaim(c, ["name:远航"])], [new LeadCard(c.ToString(), "李总", Company: "远航物流")]);
        var shard5 = await store.LoadAsync(5);
        Assert.Equal(["name:远航|" + c], Keys(shard5));
        Assert.Equal(new[] { b.ToString(), c.ToString() }.Order(), shard5.Cards.Select(card => card.Id).Order());

        await store.RemoveShardsFromAsync(2); // the shard count lowered to 2: shards 2 and 5 are gone
        Assert.Equal(new[] { "name:明远科技|" + a, "name:明远科技|" + b, "phone:+8613800138000|" + a }.Order(StringComparer.Ordinal), Keys(await store.LoadAsync(1)));
        Assert.Empty((await store.LoadAsync(2)).Keys);
        Assert.Empty((await store.LoadAsync(5)).Cards);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_compaction_replaces_the_rows_it_read_with_a_base_and_keeps_what_was_written_since(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        var store = new DedupIndexStore(db.Database, writer);
        var ids = Enumerable.Range(0, DedupIndexStore.CompactAfterChanges + 6).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            await store.AddKeysAsync(3, [new($"phone:+86139{id.GetHashCode() & 0xFFFFFF:00000000}", id), new("name:明远", id)]);
            await store.UpsertCardsAsync(3, [new LeadCard(id.ToString(), "王经理", Company: "明远科技")]);
        }

        await store.RemoveKeysAsync(3, ids[0], ["name:明远"]);
        await store.DeleteCardAsync(3, ids[1]);
        var loaded = await store.LoadAsync(3);
        Assert.True(loaded.WorthCompacting);
        Assert.Equal(2 * ids.Count - 1, loaded.Keys.Count);
        Assert.Equal(ids.Count - 1, loaded.Cards.Count);

        // Written after the read, before the compaction commits: a key removed, a key and a card added.
        var late = Guid.NewGuid();
        await store.RemoveKeysAsync(3, ids[2], ["name:明远"]);
        await store.AddClaimsAsync(3, [new KeyClaim(late, ["name:明远"])], [new LeadCard(late.ToString(), "晚到")]);

        // The stray (not this shard's any more) is left out of the base.
        await store.CompactAsync(3, loaded, loaded.Keys.Where(k => k.CustomerId != ids[3]).ToList(), loaded.Cards.Where(c => c.Id != ids[3].ToString()).ToList());

        var after = await store.LoadAsync(3);
        Assert.False(after.WorthCompacting);
        Assert.Equal(2, after.Changes); // the two rows written since the read
        var expected = loaded.Keys.Where(k => k.CustomerId != ids[3] && !(k.CustomerId == ids[2] && k.Key == "name:明远"))
            .Append(new IndexEntry("name:明远", late)).Select(k => $"{k.Key}|{k.CustomerId}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, Keys(after));
        Assert.Equal(loaded.Cards.Select(c => c.Id).Where(id => id != ids[3].ToString()).Append(late.ToString()).Order(), after.Cards.Select(c => c.Id).Order());
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal((2L, 2L), (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_log WHERE shard = 3 AND base_of IS NOT NULL"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_log WHERE shard = 3 AND base_of IS NULL"))); // the base's keys and cards rows; the two changes

        // A second compaction reads the base and the changes and leaves one base.
        await store.CompactAsync(3, after, after.Keys, after.Cards);
        Assert.Equal(Keys(after), Keys(await store.LoadAsync(3)));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_log WHERE shard = 3 AND base_of IS NULL"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Keys_and_cards_stored_in_the_earlier_layouts_are_read_as_a_first_base_and_leave_their_tables_with_it(DatabaseProvider provider)
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
        Assert.Equal(["name:明远科技|" + a, "phone:+8613800138000|" + a], Keys(await store.LoadAsync(3)));
        Assert.Equal(new[] { "name:明远科技|" + b, "name:明远科技|" + c }.Order(StringComparer.Ordinal), Keys(await store.LoadAsync(7)));
        Assert.Equal([("王经理", "明远")], (await store.LoadAsync(9)).Cards.Select(card => (card.Name, card.Company)));
        await store.RemoveKeysAsync(3, a, ["phone:+8613800138000"]);
        var shard3 = await store.LoadAsync(3);
        Assert.Equal(["name:明远科技|" + a], Keys(shard3));
        Assert.True(shard3.Legacy && shard3.WorthCompacting);

        await store.CompactAsync(3, shard3, shard3.Keys, shard3.Cards);
        Assert.Equal(["name:明远科技|" + a], Keys(await store.LoadAsync(3)));
        Assert.False((await store.LoadAsync(3)).Legacy);
        await using var check = await db.Database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_shard_keys WHERE shard = 3"));
        Assert.Equal(2, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_shard_keys WHERE shard = 7")); // shard 7 compacts when it activates
        foreach (var table in new[] { "dedup_keys", "dedup_customer_keys", "dedup_cards" })
        {
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(provider == DatabaseProvider.Sqlite
                ? $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{table}'"
                : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '{table}'"));
        }
    }

    private static List<string> Keys(DedupIndexStore.ShardRows shard) =>
        shard.Keys.Select(e => $"{e.Key}|{e.CustomerId}").Order(StringComparer.Ordinal).ToList();
}
