using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Dedup;
using Crm.Grains.EventLog;
using Crm.Grains.Pools;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Crm.Tests.Customers;

/// <summary>
/// An import flags customers it finds similar, tens of thousands of them at a million: each is activated to record its
/// flag, and a bulk flag lets it go once idle instead of keeping it in memory for the collection age.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BulkFlagTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    [Fact]
    public async Task A_customer_woken_by_a_bulk_flag_records_it_and_is_let_go_while_a_single_flag_keeps_it()
    {
        var pool = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(pool).Create("Pool", "unit-1", new PoolRuleSet())).Ok);
        var (bulk, single) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { bulk, single })
        {
            Assert.True((await fixture.Grains.GetGrain<ICustomerGrain>(id).Create(new NewCustomer("Wang Fang", "Suzhou Mingda Co., Ltd.", PoolId: pool), Manager)).Ok);
        }

        var mingda = new DedupMatch(Guid.NewGuid(), "company-name", "company-name", "mingda", "strong", 0.92, null, "flag");
        await fixture.Grains.GetGrain<ICustomerGrain>(bulk).FlagDuplicate(Guid.NewGuid(), mingda, Manager, bulk: true);
        await fixture.Grains.GetGrain<ICustomerGrain>(single).FlagDuplicate(Guid.NewGuid(), mingda, Manager);

        // Deactivation on idle follows the call at once; the deadline only bounds a slow machine.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await IsActiveAsync(bulk) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(await IsActiveAsync(bulk));
        Assert.True(await IsActiveAsync(single));
        var log = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<CustomerEventLog>();
        foreach (var id in new[] { bulk, single })
        {
            Assert.Contains((await log.ReadTimelineAsync(id, [], null, 10)).Items, e => e.Kind == "duplicate-flagged");
        }
    }

    private async Task<bool> IsActiveAsync(Guid customer)
    {
        var active = await fixture.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(fixture.Grains.GetGrain<ICustomerGrain>(customer).GetGrainId().Type);
        return active.Contains(fixture.Grains.GetGrain<ICustomerGrain>(customer).GetGrainId());
    }
}
