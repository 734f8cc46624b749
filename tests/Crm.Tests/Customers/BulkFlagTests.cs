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
/// flags (all of a batch's in one call), and is let go once idle instead of staying in memory for the collection age.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BulkFlagTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    [Fact]
    public async Task A_customer_woken_by_an_imports_flags_records_them_in_one_commit_and_is_let_go_while_a_single_flag_keeps_it()
    {
        var pool = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(pool).Create("Pool", "unit-1", new PoolRuleSet())).Ok);
        var (bulk, single) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { bulk, single })
        {
            Assert.True((await fixture.Grains.GetGrain<ICustomerGrain>(id).Create(new NewCustomer("Wang Fang", "Suzhou Mingda Co., Ltd.", PoolId: pool), Manager)).Ok);
        }

        var mingda = new DedupMatch(Guid.NewGuid(), "company-name", "company-name", "mingda", "strong", 0.92, null, "flag");
        var before = (await fixture.Grains.GetGrain<ICustomerGrain>(bulk).Get())!.Version;
        var leads = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        await fixture.Grains.GetGrain<ICustomerGrain>(bulk).FlagDuplicates([.. leads.Select(l => new DuplicateFlag(l, mingda)), new DuplicateFlag(leads[0], mingda)], Manager);
        await fixture.Grains.GetGrain<ICustomerGrain>(single).FlagDuplicate(Guid.NewGuid(), mingda, Manager);

        // Let go after a quiet moment by the silo's clock; the deadline only bounds a slow machine.
        fixture.Clock.Advance(TimeSpan.FromSeconds(3));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await IsActiveAsync(bulk) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(await IsActiveAsync(bulk));
        Assert.True(await IsActiveAsync(single));
        var log = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<CustomerEventLog>();
        var bulkFlags = (await log.ReadTimelineAsync(bulk, [], null, 10)).Items.Where(e => e.Kind == "duplicate-flagged").ToList();
        Assert.Equal(3, bulkFlags.Count); // each lead once, the repeated one too
        Assert.Equal(before + 3, (await fixture.Grains.GetGrain<ICustomerGrain>(bulk).Get())!.Version); // one commit of three events
        Assert.Contains((await log.ReadTimelineAsync(single, [], null, 10)).Items, e => e.Kind == "duplicate-flagged");
    }

    [Fact]
    public async Task Many_batches_flagging_one_customer_at_once_are_all_recorded()
    {
        var pool = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(pool).Create("Pool", "unit-1", new PoolRuleSet())).Ok);
        var branch = Guid.NewGuid();
        Assert.True((await fixture.Grains.GetGrain<ICustomerGrain>(branch).Create(new NewCustomer("Аптека", "ООО «Аптека №12»", PoolId: pool), Manager)).Ok);
        var match = new DedupMatch(branch, "company-name", "company-name", "аптека", "weak", 0.72, null, "flag");

        // Each call lets the customer go when idle: the next ones meet it leaving or gone, and must still land.
        var leads = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(leads.Select(lead => fixture.Grains.GetGrain<ICustomerGrain>(branch).FlagDuplicates([new DuplicateFlag(lead, match)], Manager)));

        var log = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost!.Services.GetRequiredService<CustomerEventLog>();
        var flagged = (await log.ReadTimelineAsync(branch, [], null, 100)).Items.Where(e => e.Kind == "duplicate-flagged").ToList();
        Assert.Equal(40, flagged.Count);
    }

    private async Task<bool> IsActiveAsync(Guid customer)
    {
        var active = await fixture.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(fixture.Grains.GetGrain<ICustomerGrain>(customer).GetGrainId().Type);
        return active.Contains(fixture.Grains.GetGrain<ICustomerGrain>(customer).GetGrainId());
    }
}
