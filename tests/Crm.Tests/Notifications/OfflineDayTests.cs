using Crm.Grains.Pools;
using Crm.Client;
using Crm.Grains.Notifications;
using Crm.Grains.Push;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Crm.Tests.Pools.PoolWorld;

namespace Crm.Tests.Notifications;

/// <summary>
/// The message center under the fake clock: a rep with no connection at all for days still has every warning and
/// recycle of those days stored, once each and numbered without gaps; retention deletes the old ones but numbering
/// goes on where it was.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OfflineDayTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_rep_offline_for_days_has_each_warning_and_recycle_stored_once_in_order()
    {
        var world = await Crm.Tests.Pools.PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 3, WarnDaysBefore = [2, 1] });
        var rep = NewRepId();
        var customers = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            customers.Add((await world.ClaimedByAsync(rep, $"Customer {i}")).GetPrimaryKey());
        }

        for (var day = 1; day <= 3; day++)
        {
            fixture.Clock.Advance(TimeSpan.FromDays(1));
            await world.RepGrain(rep).SweepNow();
        }

        // Claims (5), two warnings each (10), recycles (5); warnings are pushed one-way, so wait for them to be stored.
        var store = new NotificationStore(fixture.Database);
        var rows = await StoredAsync(store, rep, 20);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), rows.Select(r => r.Id));
        Assert.Equal(5, rows.Count(r => r.EventType == nameof(CustomerClaimed)));
        Assert.Equal(5, rows.Count(r => r.EventType == nameof(CustomerRecycled)));
        var warnings = rows.Where(r => r.EventType == nameof(RecycleWarning)).ToList();
        Assert.Equal(10, warnings.Count);
        Assert.All(customers, c => Assert.Equal(2, warnings.Count(w => w.Data.Contains(c.ToString()))));

        // Routed again (an outbox entry delivered twice after a crash): stored once.
        var again = EventPublisher.ToMessage(new RecycleWarning(customers[0], fixture.Clock.GetUtcNow(), rep, fixture.Clock.GetUtcNow(), 1));
        await fixture.Grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(rep)).Route(again);
        await fixture.Grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(rep)).Route(again);
        Assert.Equal(21, (await store.AfterAsync(rep, 0, 100)).Count);
    }

    [Fact]
    public async Task Retention_deletes_old_notifications_and_numbering_goes_on()
    {
        var rep = NewRepId();
        var channel = fixture.Grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(rep));
        for (var i = 0; i < 3; i++)
        {
            await channel.Route(EventPublisher.ToMessage(new CustomerClaimed(Guid.NewGuid(), fixture.Clock.GetUtcNow(), rep)));
        }

        var store = new NotificationStore(fixture.Database);
        var options = Options.Create(new NotificationOptions { RetentionDays = 30 });
        var cleanup = new NotificationCleanup(store, options, fixture.Clock, NullLogger<NotificationCleanup>.Instance);
        fixture.Clock.Advance(TimeSpan.FromDays(29));
        await cleanup.RunOnceAsync();
        Assert.Equal(3, (await store.AfterAsync(rep, 0, 10)).Count);

        fixture.Clock.Advance(TimeSpan.FromDays(2));
        await cleanup.RunOnceAsync();
        Assert.Equal([3L], (await store.AfterAsync(rep, 0, 10)).Select(r => r.Id)); // the latest stays: it holds the last id

        await channel.Route(EventPublisher.ToMessage(new CustomerClaimed(Guid.NewGuid(), fixture.Clock.GetUtcNow(), rep)));
        Assert.Equal([3L, 4L], (await store.AfterAsync(rep, 0, 10)).Select(r => r.Id));
    }

    private static async Task<IReadOnlyList<NotificationRow>> StoredAsync(NotificationStore store, string userId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var rows = await store.AfterAsync(userId, 0, 500);
        while (rows.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            rows = await store.AfterAsync(userId, 0, 500);
        }

        return rows;
    }
}
