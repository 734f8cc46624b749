using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Deals;
using Crm.Grains.Levels;
using Crm.Grains.Pools;
using Crm.Tests.Infrastructure;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.Pools;

/// <summary>
/// Per-level recycle clocks, the pool a recycled customer drops into, and "no deal" meaning no open or won deal now:
/// on a test cluster, with the fake clock moved by days and the rep's sweep driven (about a second per simulated day).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LevelRecyclingTests(ClusterFixture fixture)
{
    private void Days(double days) => fixture.Clock.Advance(TimeSpan.FromDays(days));

    private async Task SetLevelAsync(ICustomerGrain customer, string level)
    {
        var set = await fixture.Grains.GetGrain<ICustomerLevels>(customer.GetPrimaryKey()).SetLevel(level, "key account", Manager);
        Assert.True(set.Ok, set.Error?.Message);
    }

    [Fact]
    public async Task A_level_named_by_the_pool_runs_on_its_own_clocks_and_an_exempt_level_never_drops()
    {
        var world = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet
        {
            RecycleAfterDaysWithoutFollowUp = 2,
            ByLevel = new Dictionary<string, LevelRecycleRule>
            {
                ["A"] = new() { Exempt = true },
                ["B"] = new() { RecycleAfterDaysWithoutFollowUp = 4 },
            },
        });
        var rep = NewRepId();
        var plain = await world.ClaimedByAsync(rep, "No level");
        var levelC = await world.ClaimedByAsync(rep, "Level C");
        var levelB = await world.ClaimedByAsync(rep, "Level B");
        var levelA = await world.ClaimedByAsync(rep, "Level A");
        await SetLevelAsync(levelC, "C");
        await SetLevelAsync(levelB, "B");
        await SetLevelAsync(levelA, "A");

        Days(2);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(new string?[] { null, null, rep, rep }, new[] { await OwnerOf(plain), await OwnerOf(levelC), await OwnerOf(levelB), await OwnerOf(levelA) });

        Days(2);
        await world.RepGrain(rep).SweepNow();
        Assert.Null(await OwnerOf(levelB));
        Assert.Equal("no follow-up for 4 days", (await levelB.HistoryAsync())!.Last().Reason);

        Days(6);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(levelA));
    }

    [Fact]
    public async Task A_recycled_customer_drops_into_the_pool_its_rule_names()
    {
        var overflow = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet());
        var vip = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet());
        var world = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet
        {
            RecycleAfterDaysWithoutFollowUp = 1,
            RecycleToPoolId = overflow.PoolId,
            ByLevel = new Dictionary<string, LevelRecycleRule> { ["A"] = new() { RecycleAfterDaysWithoutFollowUp = 1, RecycleToPoolId = vip.PoolId } },
        });
        var rep = NewRepId();
        var plain = await world.ClaimedByAsync(rep, "Plain");
        var levelA = await world.ClaimedByAsync(rep, "Key account");
        await SetLevelAsync(levelA, "A");

        Days(1);
        await world.RepGrain(rep).SweepNow();

        var (plainNow, levelANow) = ((await plain.Get())!, (await levelA.Get())!);
        Assert.Equal((overflow.PoolId, (string?)null), (plainNow.PoolId, plainNow.OwnerId));
        Assert.Equal((vip.PoolId, (string?)null), (levelANow.PoolId, levelANow.OwnerId));
        var recycled = (await plain.HistoryAsync())!.Last();
        Assert.Equal(("recycled", overflow.PoolId), (recycled.Kind, recycled.Data["toPoolId"]));

        // In the new pool it is a lead like any other: another rep claims it there.
        var other = NewRepId();
        Assert.True((await plain.Claim(Rep(other))).Ok);
        Assert.Equal(overflow.PoolId, (await plain.Get())!.PoolId);
    }

    [Fact]
    public async Task No_deal_means_no_open_or_won_deal_now_and_a_lost_deal_restarts_the_clock()
    {
        var world = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutDeal = 3 });
        var rep = NewRepId();
        var open = await world.ClaimedByAsync(rep, "Open deal");
        var won = await world.ClaimedByAsync(rep, "Won deal");
        var lost = await world.ClaimedByAsync(rep, "Lost deal");
        var none = await world.ClaimedByAsync(rep, "No deal");
        await OpenDealAsync(open, rep);
        var wonDeal = await OpenDealAsync(won, rep);
        Assert.True((await Deals(won).WinDeal(wonDeal, null, null, Rep(rep))).Ok);
        var lostDeal = await OpenDealAsync(lost, rep);

        Days(2);
        Assert.True((await Deals(lost).LoseDeal(lostDeal, "price", null, null, Rep(rep))).Ok);
        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(new string?[] { rep, rep, rep, null }, new[] { await OwnerOf(open), await OwnerOf(won), await OwnerOf(lost), await OwnerOf(none) });

        // Without the restart the lost one would have dropped on day 3 with the one that never had a deal; it drops
        // three days after the loss (day 5), while the open and the won deals keep theirs.
        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(lost));
        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(new string?[] { rep, rep, null }, new[] { await OwnerOf(open), await OwnerOf(won), await OwnerOf(lost) });
        Assert.Equal("no deal for 3 days", (await lost.HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public void Level_rules_are_validated_with_the_fields_named()
    {
        var errors = PoolRulesValidator.Validate(new PoolRules
        {
            RecycleAfterDaysWithoutFollowUp = 10,
            WarnDaysBefore = [3],
            RecycleToPoolId = " ",
            ByLevel = new Dictionary<string, LevelRecycleRules>
            {
                ["A"] = new() { RecycleAfterDaysWithoutDeal = 0, RecycleToPoolId = new string('p', 65) },
                ["B"] = new() { RecycleAfterDaysWithoutVisit = 2 },
            },
        });

        Assert.Equal(["rules.byLevel.A.recycleAfterDaysWithoutDeal", "rules.byLevel.A.recycleToPoolId", "rules.recycleToPoolId", "rules.warnDaysBefore"],
            errors.Keys.Order());
        Assert.Empty(PoolRulesValidator.Validate(new PoolRules
        {
            RecycleAfterDaysWithoutFollowUp = 10,
            WarnDaysBefore = [1],
            ByLevel = new Dictionary<string, LevelRecycleRules> { ["A"] = new() { Exempt = true, RecycleAfterDaysWithoutVisit = 1 } },
        }));
    }

    private ICustomerDeals Deals(ICustomerGrain customer) => fixture.Grains.GetGrain<ICustomerDeals>(customer.GetPrimaryKey());

    private async Task<string> OpenDealAsync(ICustomerGrain customer, string rep)
    {
        var opened = await Deals(customer).OpenDeal(new NewDeal("Rollout", 3000m, "CNY", null, null, null, null, [], null), Rep(rep));
        Assert.True(opened.Ok, opened.Error?.Message);
        return opened.Value!.Id;
    }
}
