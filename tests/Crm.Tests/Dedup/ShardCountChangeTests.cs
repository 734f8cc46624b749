using System.Net;
using Crm.Client;
using Crm.Grains.Dedup;
using Crm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Dapper;

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
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dedup_shard_cards") >= customers.Count);
        }

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

    /// <summary>Stored key and card rows whose shard is not the one their hash names among <paramref name="shards"/>.</summary>
    private static async Task<List<string>> StrayRowsAsync(string database, int shards)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        var keys = await connection.QueryAsync<(long Shard, string Key)>("SELECT shard AS Shard, key AS Key FROM dedup_shard_keys");
        var cards = await connection.QueryAsync<(long Shard, string CustomerId)>("SELECT shard AS Shard, customer_id AS CustomerId FROM dedup_shard_cards");
        return keys.Where(k => DedupShards.Of(k.Key, shards) != k.Shard).Select(k => k.Key)
            .Concat(cards.Where(c => DedupShards.OfCustomer(Guid.Parse(c.CustomerId), shards) != c.Shard).Select(c => c.CustomerId)).ToList();
    }
}
