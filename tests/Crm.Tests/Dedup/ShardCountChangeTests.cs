using System.Net;
using Crm.Client;
using Crm.Grains.Dedup;
using Crm.Tests.Infrastructure;
using Crm.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Dedup;

/// <summary>
/// An operator changes <c>Crm:Dedup:Shards</c> and restarts: each shard drops the stored rows that now belong to another
/// shard (shard 0 those of shards that no longer exist), the reindex writes every key and card under the shard its hash
/// names, and a repeated phone or company is blocked again. The real server in its own process on one SQLite file,
/// started twice with different shard counts.
/// </summary>
public sealed class ShardCountChangeTests
{
    [Fact]
    public async Task After_the_shard_count_changes_a_reindex_puts_every_row_under_its_new_shard_and_duplicates_stay_blocked()
    {
        using var data = new TempDirectory("crm-shards");
        var rules = new PoolRules { Dedup = new DedupRule(["identity-keys", "company-name"], "block") };
        var customers = new List<(Guid Id, string Phone, string Company)>();
        TestWorld world;
        await using (var before = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Crm__Dedup__Shards"] = "64" }))
        {
            world = await TestWorld.CreateAsync(before, rules);
            for (var i = 0; i < 12; i++)
            {
                var (phone, company) = ($"+86 139 {i:0000} 7{i % 10}21", $"杭州{(char)('甲' + i)}{(char)('乙' + 2 * i)}电子科技有限公司");
                var created = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"客户 {i}", company, phone, PoolId: world.PoolId)))
                    .EnsureStatus(HttpStatusCode.Created).Value!;
                customers.Add((created.Id, phone, company));
            }

            await before.StopAsync();
        }

        var database = Path.Combine(data.Path, "crm.db");
        Assert.NotEmpty(await StrayRowsAsync(database, 7)); // stored under 64 shards: most rows belong elsewhere under 7

        await using var after = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Crm__Dedup__Shards"] = "7" });
        var admin = new CrmApi(after.BaseAddress, world.Admin.Token);
        using (var http = new HttpClient { BaseAddress = after.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", world.Admin.Token);
            var start = await http.PostAsync("/api/admin/dedup/reindex", null);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var location = start.Headers.Location!.OriginalString;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while ((await admin.SendAsync<DedupReindexJobDto>(HttpMethod.Get, location)).Value!.Status != "finished")
            {
                Assert.True(DateTime.UtcNow < deadline, "the reindex did not finish within 2 minutes");
                await Task.Delay(200);
            }
        }

        // Every shard has activated by now (the reindex touched them all) and dropped its strays.
        Assert.Empty(await StrayRowsAsync(database, 7));
        Assert.True((await ShardsAsync(database, 7)).Sum(s => s.Cards.Count) >= customers.Count);

        foreach (var (id, phone, company) in customers)
        {
            var byPhone = await admin.CreateCustomerAsync(new CreateCustomerRequest("Wang", "Another Name Ltd", phone, PoolId: world.PoolId));
            byPhone.EnsureStatus(HttpStatusCode.Conflict);
            Assert.Contains(id, byPhone.Problem!.Value.GetProperty("customerIds").EnumerateArray().Select(e => e.GetGuid()));
            var byName = await admin.CreateCustomerAsync(new CreateCustomerRequest("Zhao", company, "+86 150 0000 0000", PoolId: world.PoolId));
            byName.EnsureStatus(HttpStatusCode.Conflict);
            Assert.Contains(id, byName.Problem!.Value.GetProperty("customerIds").EnumerateArray().Select(e => e.GetGuid()));
        }
    }

    /// <summary>Stored keys and cards whose shard is not the one their hash names among <paramref name="shards"/>.</summary>
    private static async Task<List<string>> StrayRowsAsync(string database, int shards)
    {
        var stored = await ShardsAsync(database, 64);
        return stored.SelectMany((shard, s) => shard.Keys.Where(k => DedupShards.Of(k.Key, shards) != s).Select(k => k.Key)
            .Concat(shard.Cards.Where(c => DedupShards.OfCustomer(Guid.Parse(c.Id), shards) != s).Select(c => c.Id))).ToList();
    }

    /// <summary>What each of the first <paramref name="count"/> shards' log replays to.</summary>
    private static async Task<DedupIndexStore.ShardRows[]> ShardsAsync(string database, int count)
    {
        var crm = new CrmDatabase(DatabaseProvider.Sqlite, $"Data Source={database}");
        await using var writer = new SqlBatchWriter(crm, NullLogger<SqlBatchWriter>.Instance);
        var store = new DedupIndexStore(crm, writer);
        var shards = new DedupIndexStore.ShardRows[count];
        for (var s = 0; s < count; s++)
        {
            shards[s] = await store.LoadAsync(s);
        }

        return shards;
    }
}
