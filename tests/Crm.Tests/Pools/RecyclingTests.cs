using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Push;
using Crm.Grains.Reps;
using Crm.Tests.Infrastructure;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.Pools;

/// <summary>
/// Recycling and warnings on a test cluster over SQLite, with the fake clock moved by days and the sweep driven.
/// Periods are a few days: moving the cluster's fake clock costs about a second per simulated day.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecyclingTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private Task<PoolWorld> PoolAsync(PoolRuleSet rules) => PoolWorld.CreateAsync(fixture.Grains, rules);

    private void Days(double days) => fixture.Clock.Advance(TimeSpan.FromDays(days));

    [Fact]
    public async Task A_customer_without_follow_up_drops_back_on_the_day_and_not_a_minute_before()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        fixture.Clock.Advance(TimeSpan.FromDays(2) - Minute);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));

        fixture.Clock.Advance(Minute);
        await world.RepGrain(rep).SweepNow();

        Assert.Null(await OwnerOf(customer));
        Assert.Empty(await world.RepGrain(rep).GetOwned());
        var recycled = (await customer.HistoryAsync())!.Last();
        Assert.Equal((TimelineKinds.Recycled, "no follow-up for 2 days", "system"), (recycled.Kind, recycled.Reason, recycled.ActorId));
        Assert.Equal(rep, recycled.Data["repId"]);
    }

    [Fact]
    public async Task The_rep_is_told_the_customer_was_recycled_and_why()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 1 });
        var rep = NewRepId();
        var pushes = await ListenAsync(fixture.Grains, PushChannels.Rep(rep));
        var customer = await world.ClaimedByAsync(rep);

        Days(1);
        await world.RepGrain(rep).SweepNow();

        var recycled = Assert.Single(await pushes.WaitFor<CustomerRecycled>(1));
        Assert.Equal((customer.GetPrimaryKey(), rep, "no follow-up for 1 day"), (recycled.CustomerId, recycled.RepId, recycled.Reason));
    }

    [Fact]
    public async Task A_follow_up_restarts_the_follow_up_clock()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        Days(2);
        Assert.True((await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "interested"), Rep(rep))).Ok);
        Days(2);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));

        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Null(await OwnerOf(customer));
    }

    [Fact]
    public async Task Follow_ups_do_not_save_a_customer_without_a_deal_past_the_deal_period()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3, RecycleAfterDaysWithoutDeal = 6 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        for (var day = 2; day < 6; day += 2)
        {
            Days(2);
            await customer.AddFollowUp(new NewFollowUp(FollowUpType.Visit, "met the buyer"), Rep(rep));
            await world.RepGrain(rep).SweepNow();
            Assert.Equal(rep, await OwnerOf(customer));
        }

        Days(2);
        await world.RepGrain(rep).SweepNow();

        Assert.Null(await OwnerOf(customer));
        Assert.Equal("no deal for 6 days", (await customer.HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public async Task A_deal_restarts_the_deal_clock()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutDeal = 4 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        Days(3);
        Assert.True((await customer.ChangeStage(CustomerStage.Customer, "first order", Rep(rep))).Ok);
        Days(3);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));

        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Null(await OwnerOf(customer));
    }

    [Fact]
    public async Task Customers_in_stage_customer_never_drop_when_the_pool_exempts_them()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2, ExemptCustomers = true });
        var rep = NewRepId();
        var buyer = await world.ClaimedByAsync(rep, "Buyer");
        var lead = await world.ClaimedByAsync(rep, "Lead");
        await buyer.ChangeStage(CustomerStage.Customer, "first order", Rep(rep));

        Days(3);
        await world.RepGrain(rep).SweepNow();

        Assert.Equal(rep, await OwnerOf(buyer));
        Assert.Null(await OwnerOf(lead));
    }

    [Fact]
    public async Task Warnings_go_out_once_per_threshold_and_the_customer_drops_after_them()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3, WarnDaysBefore = [2, 1] });
        var rep = NewRepId();
        var pushes = await ListenAsync(fixture.Grains, PushChannels.Rep(rep));
        var customer = await world.ClaimedByAsync(rep);
        var drop = fixture.Clock.GetUtcNow().AddDays(3);

        fixture.Clock.Advance(TimeSpan.FromDays(1) - Minute);
        await world.RepGrain(rep).SweepNow();
        Assert.Empty(await pushes.Settled<RecycleWarning>());

        fixture.Clock.Advance(Minute);
        await world.RepGrain(rep).SweepNow();
        await world.RepGrain(rep).SweepNow();
        // The grain's own sweep timer interleaves with SweepNow: when the clock moves it may have taken the warning and
        // still be saving it when SweepNow returns, so wait for the warning before checking that no second one follows.
        await pushes.WaitFor<RecycleWarning>(1);
        var first = Assert.Single(await pushes.Settled<RecycleWarning>());
        Assert.Equal((customer.GetPrimaryKey(), drop, 2), (first.CustomerId, first.DropsAt, first.DaysLeft));

        Days(1);
        await world.RepGrain(rep).SweepNow();
        await world.RepGrain(rep).SweepNow();
        await pushes.WaitFor<RecycleWarning>(2);
        var warnings = await pushes.Settled<RecycleWarning>();
        Assert.Equal([2, 1], warnings.Select(w => w.DaysLeft));

        Days(1);
        await world.RepGrain(rep).SweepNow();
        Assert.Null(await OwnerOf(customer));
        Assert.Equal(2, (await pushes.Settled<RecycleWarning>()).Count);
    }

    [Fact]
    public async Task A_sweep_after_a_long_outage_sends_one_warning_for_all_thresholds_passed()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 4, WarnDaysBefore = [3, 2, 1] });
        var rep = NewRepId();
        var pushes = await ListenAsync(fixture.Grains, PushChannels.Rep(rep));
        await world.ClaimedByAsync(rep);

        Days(3.5);
        await world.RepGrain(rep).SweepNow();
        await world.RepGrain(rep).SweepNow();

        await pushes.WaitFor<RecycleWarning>(1); // the interleaved sweep timer may still be sending it (see above)
        var warning = Assert.Single(await pushes.Settled<RecycleWarning>());
        Assert.Equal(1, warning.DaysLeft);
        Assert.Equal([3, 2, 1], (await world.RepGrain(rep).GetDue(1)).Single().WarningsSent.Order().Reverse());
    }

    [Fact]
    public async Task A_follow_up_after_a_warning_moves_the_deadline_and_warnings_start_over()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3, WarnDaysBefore = [1] });
        var rep = NewRepId();
        var pushes = await ListenAsync(fixture.Grains, PushChannels.Rep(rep));
        var customer = await world.ClaimedByAsync(rep);

        Days(2);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal([1], (await world.RepGrain(rep).GetDue(30)).Single().WarningsSent);
        await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "call back next week"), Rep(rep));
        Assert.Empty((await world.RepGrain(rep).GetDue(30)).Single().WarningsSent);

        Days(2);
        await world.RepGrain(rep).SweepNow();

        Assert.Equal(2, (await pushes.WaitFor<RecycleWarning>(2)).Count);
        Assert.Equal(rep, await OwnerOf(customer));
    }

    [Fact]
    public async Task Due_lists_what_drops_within_the_days_asked_soonest_first()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 4 });
        var rep = NewRepId();
        var early = await world.ClaimedByAsync(rep, "Early");
        Days(1);
        var late = await world.ClaimedByAsync(rep, "Late");
        Days(1);
        var later = await world.ClaimedByAsync(rep, "Later");

        var due = await world.RepGrain(rep).GetDue(3.5);

        Assert.Equal([early.GetPrimaryKey(), late.GetPrimaryKey()], due.Select(d => d.CustomerId));
        Assert.Equal("no follow-up for 4 days", due[0].Reason);
        Assert.Equal(fixture.Clock.GetUtcNow().AddDays(2), due[0].DropsAt);
        Assert.Equal(later.GetPrimaryKey(), (await world.RepGrain(rep).GetDue(30))[2].CustomerId);
    }

    [Fact]
    public async Task A_shorter_rule_applies_to_customers_already_owned_without_a_restart()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 10 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        Days(3);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));
        Assert.True((await world.Pool.UpdateRules(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2 })).Ok);
        await world.RepGrain(rep).SweepNow();

        Assert.Null(await OwnerOf(customer));
        Assert.Equal("no follow-up for 2 days", (await customer.HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public async Task A_shorter_rule_reaches_a_sleeping_rep_grain_without_any_call_to_it()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 10 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);
        Days(3);
        await world.RepGrain(rep).SweepNow();
        Assert.Equal(rep, await OwnerOf(customer));

        // The rep grain now sleeps until day 4 (its longest sleep); only the pool's word that its rules changed wakes it sooner.
        Assert.True((await world.Pool.UpdateRules(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2 })).Ok);
        Assert.Null(await OwnerOnceTheClockRunsAsync(customer));
        Assert.Equal("no follow-up for 2 days", (await customer.HistoryAsync())!.Last().Reason);
    }

    [Fact]
    public async Task A_sleeping_rep_grain_wakes_for_its_next_deadline_on_its_own()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        // A minute short of the deadline nothing has happened; past it, the rep grain's own timer recycles the customer.
        fixture.Clock.Advance(TimeSpan.FromDays(3) - Minute);
        await Task.Delay(200);
        Assert.Equal(rep, await OwnerOf(customer));
        Assert.Null(await OwnerOnceTheClockRunsAsync(customer));
        Assert.Equal("no follow-up for 3 days", (await customer.HistoryAsync())!.Last().Reason);
    }

    /// <summary>Moves the clock on 30 s at a time, up to 50 minutes, while the customer is owned; the rep grain's timer must do the rest.</summary>
    private async Task<string?> OwnerOnceTheClockRunsAsync(ICustomerGrain customer)
    {
        for (var step = 0; step < 100 && await OwnerOf(customer) is not null; step++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(100);
        }

        return await OwnerOf(customer);
    }

    [Fact]
    public async Task A_longer_rule_saves_customers_that_would_have_dropped()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);

        Days(1);
        await world.RepGrain(rep).SweepNow();
        await world.Pool.UpdateRules(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 5 });
        Days(2);
        await world.RepGrain(rep).SweepNow();

        Assert.Equal(rep, await OwnerOf(customer));
        Assert.Equal(fixture.Clock.GetUtcNow().AddDays(2), (await world.RepGrain(rep).GetDue(30)).Single().DropsAt);
    }

    [Fact]
    public async Task Two_sweeps_at_once_recycle_a_customer_once()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 1 });
        var rep = NewRepId();
        var customers = new List<ICustomerGrain>();
        for (var i = 0; i < 5; i++)
        {
            customers.Add(await world.ClaimedByAsync(rep, $"Lead {i}"));
        }

        Days(1);
        var reports = await Task.WhenAll(world.RepGrain(rep).SweepNow(), world.RepGrain(rep).SweepNow(), world.RepGrain(rep).SweepNow());

        // Four sweeps at once: the clock's move queued the grain's own timer tick (it runs on the fake clock) before
        // these three calls arrived. Each sweep asks the pool for its rules once before taking what is due, in
        // arrival order, so the timer's sweep takes all five customers and these three find nothing left to do.
        Assert.Equal(0, reports.Sum(r => r.Recycled));
        foreach (var customer in customers)
        {
            Assert.Null(await OwnerOf(customer));
            Assert.Single((await customer.HistoryAsync())!, e => e.Kind == TimelineKinds.Recycled);
        }
    }

    [Fact]
    public async Task A_stale_private_pool_entry_is_dropped_by_the_sweep_and_the_customer_is_left_alone()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3 });
        var owner = NewRepId();
        var stale = NewRepId();
        var customer = await world.ClaimedByAsync(owner);
        // As if a crash had left the customer in a second rep's index.
        await world.RepGrain(stale).Track(customer.GetPrimaryKey(), world.PoolId,
            new RecycleFacts(fixture.Clock.GetUtcNow().AddDays(-10), null, null, CustomerStage.Lead, 1), adopt: true);

        var report = await world.RepGrain(stale).SweepNow();

        Assert.Equal(1, report.Stale);
        Assert.Empty(await world.RepGrain(stale).GetOwned());
        Assert.Equal(owner, await OwnerOf(customer));
        Assert.DoesNotContain((await customer.HistoryAsync())!, e => e.Kind == TimelineKinds.Recycled);
    }

    [Fact]
    public async Task A_take_whose_customer_never_committed_is_found_and_dropped_by_the_sweep()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3 });
        var rep = NewRepId();
        var customer = await world.NewLeadAsync();
        // As if the customer grain had crashed between the rep's take and its own save: no facts ever come.
        Assert.Null(await world.RepGrain(rep).TryTake(customer.GetPrimaryKey(), world.PoolId, OwnershipLimits.None, countsAsClaim: true, version: 2));

        fixture.Clock.Advance(RecycleSchedule.FactsGrace);
        await world.RepGrain(rep).SweepNow();

        Assert.Empty(await world.RepGrain(rep).GetOwned());
        Assert.Null(await OwnerOf(customer));
    }

    [Fact]
    public async Task A_rep_claiming_more_customers_leaves_its_reminder_row_alone()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3 });
        var rep = NewRepId();
        await world.ClaimedByAsync(rep);
        var afterFirst = await ReminderVersionAsync(rep);

        for (var i = 0; i < 5; i++)
        {
            fixture.Clock.Advance(Minute);
            await world.ClaimedByAsync(rep);
        }

        // Each take used to pull the reminder in to the five-minute facts check and each report push it out again: two
        // durable writes per claim. The first customer's deadline is still the earliest, so nothing is written now.
        Assert.NotNull(afterFirst);
        Assert.Equal(afterFirst, await ReminderVersionAsync(rep));
        Assert.Equal(6, (await world.RepGrain(rep).GetOwned()).Count);
    }

    /// <summary>How often the rep's reminder row was written (its version), or null when it has none.</summary>
    private async Task<long?> ReminderVersionAsync(string rep)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection,
            "SELECT Version FROM OrleansRemindersTable WHERE ReminderName = @name AND GrainId LIKE @grain",
            new { name = RepGrain.ReminderName, grain = $"%{rep}%" });
    }

    [Fact]
    public async Task A_recycled_customer_is_protected_from_its_last_owner_with_the_date_it_ends()
    {
        var world = await PoolAsync(new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 1, ReclaimProtectionDays = 7 });
        var rep = NewRepId();
        var customer = await world.ClaimedByAsync(rep);
        Days(1);
        await world.RepGrain(rep).SweepNow();
        var droppedAt = fixture.Clock.GetUtcNow();

        var refused = await customer.Claim(Rep(rep));

        Assert.Equal("reclaim-protected", refused.Error?.Code);
        Assert.Equal(droppedAt.AddDays(7), DateTimeOffset.Parse(refused.Error!.Details!["until"]));
        Assert.True((await customer.Claim(Rep(NewRepId()))).Ok);
    }
}
