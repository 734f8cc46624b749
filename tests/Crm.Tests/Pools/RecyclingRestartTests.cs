using Crm.Grains.Pools;
using Crm.Client;
using Crm.Grains.Customers;
using Crm.Grains.Push;
using Crm.Grains.Reps;
using Crm.Tests.Infrastructure;
using Dapper;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.Pools;

/// <summary>A host restart (same SQLite file) between a warning and the drop: nothing is lost, nothing is sent twice.</summary>
public sealed class RecyclingRestartTests
{
    [Fact]
    public async Task A_restart_between_the_warning_and_the_drop_neither_repeats_the_warning_nor_loses_the_drop()
    {
        using var data = new TempDirectory("crm-restart");
        var file = Path.Combine(data.Path, "crm.db");
        var rep = NewRepId();
        ICustomerGrain customer;
        DateTimeOffset stoppedAt;
        string poolId;

        await using (var first = await DurableCluster.StartAsync(file, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)))
        {
            var world = await PoolWorld.CreateAsync(first.Grains, new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 2, WarnDaysBefore = [1] });
            poolId = world.PoolId;
            var pushes = await ListenAsync(first.Grains, PushChannels.Rep(rep));
            customer = await world.ClaimedByAsync(rep);

            first.Clock.Advance(TimeSpan.FromDays(1));
            await world.RepGrain(rep).SweepNow();

            Assert.Single(await pushes.WaitFor<RecycleWarning>(1));
            Assert.Equal(1, await ReminderRows(first, rep));
            stoppedAt = first.Clock.GetUtcNow();
        }

        await using var second = await DurableCluster.StartAsync(file, stoppedAt);
        var again = await ListenAsync(second.Grains, PushChannels.Rep(rep));
        var restarted = second.Grains.GetGrain<ICustomerGrain>(customer.GetPrimaryKey());
        var repGrain = second.Grains.GetGrain<IRepGrain>(rep);

        Assert.Equal(1, await ReminderRows(second, rep));
        Assert.Equal([1], (await repGrain.GetDue(2)).Single().WarningsSent);
        await repGrain.SweepNow();
        Assert.Equal(rep, (await restarted.Get())!.OwnerId);

        second.Clock.Advance(TimeSpan.FromDays(1));
        await repGrain.SweepNow();

        Assert.Null((await restarted.Get())!.OwnerId);
        Assert.Single((await restarted.HistoryAsync())!, e => e.Kind == TimelineKinds.Recycled);
        Assert.Empty(await again.Settled<RecycleWarning>());
        Assert.Single(await again.WaitFor<CustomerRecycled>(1));
        Assert.Equal(poolId, (await restarted.Get())!.PoolId);
    }

    [Fact]
    public async Task After_a_restart_the_rep_s_reminder_wakes_its_grain_and_the_timer_recycles_without_any_call()
    {
        using var data = new TempDirectory("crm-restart");
        var file = Path.Combine(data.Path, "crm.db");
        var rep = NewRepId();
        Guid customerId;
        DateTimeOffset stoppedAt;

        await using (var first = await DurableCluster.StartAsync(file, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)))
        {
            var world = await PoolWorld.CreateAsync(first.Grains, new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 1 });
            customerId = (await world.ClaimedByAsync(rep)).GetPrimaryKey();
            stoppedAt = first.Clock.GetUtcNow();
        }

        await using var second = await DurableCluster.StartAsync(file, stoppedAt);
        var customer = second.Grains.GetGrain<ICustomerGrain>(customerId);

        // Nothing calls the rep grain: only its persisted reminder can wake it, and its own timer must sweep.
        for (var step = 0; step < 200 && (await OwnerOfAsync(second, customerId)) is not null; step++)
        {
            second.Clock.Advance(TimeSpan.FromMinutes(step == 0 ? 24 * 60 : 10));
            await Task.Delay(50);
        }

        Assert.Null((await customer.Get())!.OwnerId);
        Assert.Equal("no follow-up for 1 day", (await customer.HistoryAsync())!.Last().Reason);
    }

    /// <summary>Reads the owner from the read model, so that the check itself activates no grain.</summary>
    private static async Task<string?> OwnerOfAsync(DurableCluster cluster, Guid customerId)
    {
        await using var connection = await cluster.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT owner_id FROM customers WHERE id = @id", new { id = customerId.ToString() });
    }

    private static async Task<long> ReminderRows(DurableCluster cluster, string rep)
    {
        await using var connection = await cluster.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM OrleansRemindersTable WHERE ReminderName = @name AND GrainId LIKE @grain",
            new { name = RepGrain.ReminderName, grain = $"%{rep}%" });
    }
}
