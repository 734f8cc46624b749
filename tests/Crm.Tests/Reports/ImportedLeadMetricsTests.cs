using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Batch;
using Crm.Grains.Customers.Events;
using Crm.Grains.Metrics;
using Crm.Grains.Pools;
using Crm.Tests.Infrastructure;
using Dapper;

namespace Crm.Tests.Reports;

/// <summary>
/// Leads created in a batch (an import) count for the rep who created them as leads created one at a time do: the batch
/// writes its additions to the rep's day, week, month and quarter rows summed, one statement per row and transaction,
/// and every lead still gets its fact row, which is what a later merge takes back from.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ImportedLeadMetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Three_hundred_leads_stored_in_one_batch_add_three_hundred_new_customers_to_each_of_the_reps_rows()
    {
        var rep = "rep-import-" + Guid.NewGuid().ToString("N")[..8];
        var actor = new Actor(rep, UserRole.Manager, "unit-1");
        var poolId = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(poolId).Create("Imported", "unit-1", new PoolRuleSet())).Ok);
        var creator = fixture.Service<CustomerBatchCreator>();
        var caches = new BatchCaches();
        var now = fixture.Clock.GetUtcNow();
        var batch = new List<(Guid, IReadOnlyList<CustomerEvent>)>();
        for (var i = 0; i < 300; i++) // more than one transaction's worth (CustomerBatchCreator.CommitRows)
        {
            var request = new NewCustomer($"王经理 {i}", $"杭州导入{i}贸易有限公司", PoolId: poolId);
            var check = await creator.CheckAsync(request, actor, caches);
            Assert.Null(check.Error);
            batch.Add((Guid.NewGuid(), [CustomerBatchCreator.CreatedOf(check, request, actor, [], null, now)]));
        }

        var stored = await creator.StoreAsync(batch);
        Assert.Null(stored.Failure);
        Assert.Equal(300, stored.Stored.Count);
        Assert.Equal((300L, 3L, 300L), await CountsAsync(rep));

        // One more, one at a time through its grain: the guarded path adds to the same rows.
        var single = await fixture.Grains.GetGrain<ICustomerGrain>(Guid.NewGuid()).Create(new NewCustomer("李总", "宁波单个贸易有限公司", PoolId: poolId), actor);
        Assert.True(single.Ok, single.Error?.Message);
        Assert.Equal((301L, 3L, 301L), await CountsAsync(rep));
    }

    /// <summary>New customers on the rep's day rows, how many period rows each hold that many, and the fact rows.</summary>
    private async Task<(long Day, long Periods, long Facts)> CountsAsync(string rep)
    {
        await using var connection = await fixture.Database.OpenAsync();
        var args = new { rep, metric = MetricNames.NewCustomers };
        var day = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(value_e4), 0) FROM rep_day_metrics WHERE rep_id = @rep AND metric = @metric", args);
        var periods = (await connection.QueryAsync<long>("SELECT value_e4 FROM rep_period_metrics WHERE rep_id = @rep AND metric = @metric", args)).ToList();
        var facts = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM metric_facts WHERE rep_id = @rep AND metric = @metric", args);
        Assert.All(periods, value => Assert.Equal(day, value)); // the week, month and quarter each hold all of them
        return (day / 10_000, periods.Count, facts);
    }
}
