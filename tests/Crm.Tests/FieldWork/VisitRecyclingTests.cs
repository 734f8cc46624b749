using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Grains.Visits;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.FieldWork;

/// <summary>The "no visit in N days" recycle rule on a test cluster, with the fake clock moved by days and the sweep driven.</summary>
[Collection(ClusterCollection.Name)]
public sealed class VisitRecyclingTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private void Days(double days) => fixture.Clock.Advance(TimeSpan.FromDays(days));

    private Task<global::Crm.Grains.Common.Result<VisitRecord>> CheckInAsync(ICustomerGrain customer, string rep) =>
        fixture.Grains.GetGrain<IFieldWorkGrain>(customer.GetPrimaryKey()).CheckIn(
            new CheckInCommand(new GeoPoint(31.23, 121.47), 10, null, "phone-1", [], "met", null, Consented: true, Previous: null,
                VisitPolicy.Default with { OutsideHoursAllowed = true }), Rep(rep));

    [Fact]
    public async Task A_customer_without_a_visit_drops_back_on_the_day_however_often_it_is_called()
    {
        var world = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutVisit = 3, RecycleAfterDaysWithoutFollowUp = 10 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        Days(1);
        Assert.True((await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "reached"), Rep(rep))).Ok);
        fixture.Clock.Advance(TimeSpan.FromDays(2) - Minute);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));

        fixture.Clock.Advance(Minute);
        await world.RepGrain(rep).SweepNow();

        Assert.Null(await OwnerOf(customer));
        Assert.Equal("no visit for 3 days", (await customer.HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public async Task A_check_in_restarts_the_visit_clock_and_the_rep_is_warned_before_the_drop()
    {
        var world = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutVisit = 3, WarnDaysBefore = [1] });
        var rep = NewRepId();
        var pushes = await ListenAsync(fixture.Grains, PushChannels.Rep(rep));
        var customer = await world.ClaimedByAsync(rep);

        Days(1.5);
        var visit = await CheckInAsync(customer, rep);
        Assert.True(visit.Ok, visit.Error?.Message);
        var visitedAt = visit.Value!.CheckedInAt;
        Days(2);
        await world.RepGrain(rep).SweepNow();
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));
        var warning = Assert.Single(await pushes.Settled<RecycleWarning>());
        Assert.Equal((customer.GetPrimaryKey(), visitedAt.AddDays(3)), (warning.CustomerId, warning.DropsAt));

        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Null(await OwnerOf(customer));
    }

    [Fact]
    public void The_rule_is_validated_and_counts_for_the_shortest_period_warnings_must_fit()
    {
        Assert.Contains("rules.recycleAfterDaysWithoutVisit", PoolRulesValidator.Validate(new PoolRules { RecycleAfterDaysWithoutVisit = 0 }).Keys);
        Assert.Contains("rules.warnDaysBefore", PoolRulesValidator.Validate(new PoolRules { RecycleAfterDaysWithoutVisit = 2, WarnDaysBefore = [2] }).Keys);
        Assert.Empty(PoolRulesValidator.Validate(new PoolRules { RecycleAfterDaysWithoutVisit = 14, WarnDaysBefore = [2, 1] }));
    }
}
