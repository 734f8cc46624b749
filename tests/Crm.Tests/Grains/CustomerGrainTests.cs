using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Grains;

/// <summary>The customer grain's rules, called directly on an Orleans test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerGrainTests(ClusterFixture fixture)
{
    private static Actor Rep(string id) => new(id, UserRole.Rep, "unit-1");

    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    private async Task<string> NewPoolAsync(PoolRuleSet? rules = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var created = await fixture.Grains.GetGrain<IPoolGrain>(id).Create("Pool", "unit-1", rules ?? new PoolRuleSet());
        Assert.True(created.Ok);
        return id;
    }

    private async Task<ICustomerGrain> NewLeadAsync(string poolId)
    {
        var grain = fixture.Grains.GetGrain<ICustomerGrain>(Guid.NewGuid());
        var created = await grain.Create(new NewCustomer("Wang Fang", "Suzhou Mingda Co., Ltd.", "13800138000", PoolId: poolId), Manager);
        Assert.True(created.Ok, created.Error?.Message);
        return grain;
    }

    [Fact]
    public async Task Fifty_concurrent_claimers_leave_exactly_one_owner()
    {
        var customer = await NewLeadAsync(await NewPoolAsync());
        var reps = Enumerable.Range(0, 50).Select(i => $"rep-race-{Guid.NewGuid():N}-{i}").ToList();

        var results = await Task.WhenAll(reps.Select(rep => customer.Claim(Rep(rep))));

        var winner = Assert.Single(results, r => r.Ok).Value!.OwnerId!;
        Assert.All(results.Where(r => !r.Ok), r => Assert.Equal("already-owned", r.Error!.Code));
        Assert.Equal(winner, (await customer.Get())!.OwnerId);
        foreach (var rep in reps)
        {
            var owned = await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned();
            Assert.Equal(rep == winner ? 1 : 0, owned.Count);
        }
    }

    [Fact]
    public async Task Release_returns_the_customer_to_its_pool_and_empties_the_private_pool()
    {
        var customer = await NewLeadAsync(await NewPoolAsync());
        var rep = "rep-" + Guid.NewGuid().ToString("N");
        await customer.Claim(Rep(rep));

        var released = await customer.Release("moved away", Rep(rep));

        Assert.True(released.Ok);
        Assert.Null(released.Value!.OwnerId);
        Assert.Empty(await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned());
        var last = (await customer.HistoryAsync())!.Last();
        Assert.Equal((TimelineKinds.Released, "moved away", rep), (last.Kind, last.Reason, last.ActorId));
    }

    [Fact]
    public async Task Releasing_a_customer_in_its_public_pool_is_a_conflict()
    {
        var customer = await NewLeadAsync(await NewPoolAsync());

        var released = await customer.Release(null, Manager);

        Assert.Equal("not-owned", released.Error?.Code);
    }

    [Theory]
    [InlineData(Stage.Customer, Stage.Lead)]
    [InlineData(Stage.Invalid, Stage.Customer)]
    [InlineData(Stage.Lost, Stage.Customer)]
    public async Task A_stage_change_the_funnel_does_not_allow_is_refused_with_the_allowed_ones(Stage first, Stage then)
    {
        var customer = await NewLeadAsync(await NewPoolAsync());
        Assert.True((await customer.ChangeStage((CustomerStage)first, "first step", Manager)).Ok);

        var refused = await customer.ChangeStage((CustomerStage)then, "second step", Manager);

        Assert.Equal("invalid", refused.Error?.Code);
        Assert.Equal("stage", refused.Error!.Details!["field"]);
        Assert.Contains("allowed:", refused.Error.Message);
        Assert.Equal((CustomerStage)first, (await customer.Get())!.Stage);
    }

    [Fact]
    public async Task Lost_and_invalid_need_a_reason()
    {
        var customer = await NewLeadAsync(await NewPoolAsync());

        var refused = await customer.ChangeStage(CustomerStage.Invalid, "  ", Manager);

        Assert.Equal("reason", refused.Error!.Details!["field"]);
        Assert.True((await customer.ChangeStage(CustomerStage.Invalid, "wrong number", Manager)).Ok);
    }

    [Fact]
    public async Task Reclaim_protection_ends_after_the_pool_rule_s_days_on_the_clock()
    {
        var customer = await NewLeadAsync(await NewPoolAsync(new PoolRuleSet { ReclaimProtectionDays = 2 }));
        var rep = "rep-" + Guid.NewGuid().ToString("N");
        await customer.Claim(Rep(rep));
        await customer.Release("later", Rep(rep));

        fixture.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Equal("reclaim-protected", (await customer.Claim(Rep(rep))).Error?.Code);

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await customer.Claim(Rep(rep))).Ok);
    }

    [Fact]
    public async Task A_claim_beyond_the_pool_capacity_is_refused_and_changes_nothing()
    {
        var pool = await NewPoolAsync(new PoolRuleSet { CapacityPerRep = 2 });
        var rep = "rep-" + Guid.NewGuid().ToString("N");
        var customers = new List<ICustomerGrain>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add(await NewLeadAsync(pool));
        }

        Assert.True((await customers[0].Claim(Rep(rep))).Ok);
        Assert.True((await customers[1].Claim(Rep(rep))).Ok);
        var refused = await customers[2].Claim(Rep(rep));

        Assert.Equal("capacity-full", refused.Error?.Code);
        Assert.Null((await customers[2].Get())!.OwnerId);
        Assert.Equal(2, (await fixture.Grains.GetGrain<IRepGrain>(rep).GetOwned()).Count);
    }

    [Fact]
    public async Task A_follow_up_dated_in_the_future_is_refused()
    {
        var customer = await NewLeadAsync(await NewPoolAsync());

        var refused = await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "ok", At: fixture.Clock.GetUtcNow().AddDays(1)), Manager);

        Assert.Equal("at", refused.Error!.Details!["field"]);
    }
}
