using System.Collections.Concurrent;
using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Notifications;

/// <summary>
/// The message center on a real server with real SignalR clients (the typed client in resume mode): what a rep missed
/// while away arrives once, in order, and the catch-up runs into the live events without a gap or a duplicate.
/// </summary>
public abstract class MessageCenterTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task A_rep_who_was_away_gets_every_missed_event_once_in_order_and_live_ones_go_on()
    {
        var world = await TestWorld.CreateAsync(Server);
        var rep = world.RepA;

        var first = new Received();
        long lastSeen;
        await using (var stream = first.Stream(rep))
        {
            await stream.StartAsync(0);
            await AssignAsync(world, 3);
            await first.WaitForAsync(3);
            lastSeen = stream.LastSeenId;
        }

        // Away: work lands on the rep while no connection is open.
        var missed = await AssignAsync(world, 25);
        var again = new Received();
        await using (var stream = again.Stream(rep))
        {
            // Events keep coming while the client catches up: the race between the catch-up read and the live pushes.
            var during = AssignAsync(world, 15);
            await stream.StartAsync(lastSeen);
            var live = await during;
            await again.WaitForAsync(missed.Count + live.Count);
            var after = await AssignAsync(world, 2);
            await again.WaitForAsync(missed.Count + live.Count + after.Count);

            var ids = again.Ids;
            Assert.Equal(Enumerable.Range((int)lastSeen + 1, ids.Count).Select(i => (long)i), ids); // in order, no gap, no repeat
            Assert.Equal(missed.Concat(live).Concat(after).Order(), again.Assigned.Order());       // each event once
            Assert.Equal(ids[^1], stream.LastSeenId);
        }

        var page = (await rep.SendAsync<Page<Notification>>(HttpMethod.Get, "/api/notifications?unread=true&pageSize=10")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(3 + 25 + 15 + 2, page.Total);
        Assert.Equal(10, page.Items.Count);
        Assert.Equal(again.Ids[^1], page.Items[0].Id); // newest first
        Assert.All(page.Items, n => Assert.Equal(nameof(CustomerAssigned), n.Type));
    }

    [Fact]
    public async Task Read_marks_count_down_the_unread_and_only_touch_the_callers_own_notifications()
    {
        var world = await TestWorld.CreateAsync(Server);
        await AssignAsync(world, 4);
        var rep = world.RepA;
        var count = await UntilAsync(() => UnreadAsync(rep), c => c.Unread == 4);
        Assert.Equal(4, count.LastId);

        (await rep.SendAsync<object>(HttpMethod.Post, $"/api/notifications/{count.LastId}/read")).EnsureStatus(HttpStatusCode.NoContent);
        Assert.Equal(3, (await UnreadAsync(rep)).Unread);
        var read = (await rep.SendAsync<Page<Notification>>(HttpMethod.Get, "/api/notifications?unread=false")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([count.LastId], read.Items.Select(n => n.Id!.Value)); // false is "the read ones", not "any"
        (await world.RepB.SendAsync<object>(HttpMethod.Post, $"/api/notifications/{count.LastId - 1}/read")).EnsureStatus(HttpStatusCode.NotFound);
        Assert.Equal(3, (await UnreadAsync(rep)).Unread);

        var marked = (await rep.SendAsync<MarkedReadDto>(HttpMethod.Post, "/api/notifications/read-all", new MarkAllReadRequest(2))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(2, marked.Marked);
        marked = (await rep.SendAsync<MarkedReadDto>(HttpMethod.Post, "/api/notifications/read-all", new MarkAllReadRequest())).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(1, marked.Marked);
        Assert.Equal(0, (await UnreadAsync(rep)).Unread);
        var all = (await rep.SendAsync<Page<Notification>>(HttpMethod.Get, "/api/notifications")).Value!;
        Assert.Equal(4, all.Total);
        Assert.All(all.Items, n => Assert.NotNull(n.ReadAt));
    }

    [Fact]
    public async Task A_manager_keeps_the_events_of_its_units_reps_in_its_own_message_center()
    {
        var world = await TestWorld.CreateAsync(Server);
        var assigned = await AssignAsync(world, 2);

        var page = await UntilAsync(
            async () => (await world.Manager.SendAsync<Page<Notification>>(HttpMethod.Get, "/api/notifications")).Value!,
            p => p.Total == 2);
        Assert.Equal(assigned.Order(), page.Items.Select(n => n.Data.GetProperty("customerId").GetGuid()).Order());
        Assert.Equal(0, (await UnreadAsync(world.RepB)).Unread);
    }

    [Theory]
    [InlineData("/api/notifications?pageSize=0", "pageSize")]
    [InlineData("/api/notifications?page=0", "page")]
    [InlineData("/api/notifications?pageSize=501", "pageSize")]
    public async Task Bad_paging_is_a_400_naming_the_field(string path, string field)
    {
        var world = await TestWorld.CreateAsync(Server);
        var response = await world.RepA.GetAsync(path);
        response.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Contains(field, response.ErrorFields);
    }

    private static async Task<List<Guid>> AssignAsync(TestWorld world, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var lead = await world.NewLeadAsync($"Lead {Guid.NewGuid():N}", company: null, phone: null);
            (await world.Manager.AssignAsync(lead.Id, world.RepA.UserId)).EnsureStatus(HttpStatusCode.OK);
            ids.Add(lead.Id);
        }

        return ids;
    }

    private static async Task<UnreadCountDto> UnreadAsync(CrmApi user) =>
        (await user.SendAsync<UnreadCountDto>(HttpMethod.Get, "/api/notifications/unread-count")).EnsureStatus(HttpStatusCode.OK).Value!;

    /// <summary>Pushes are stored after the command answered (the outbox): read again until the condition holds, up to 15 s.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        Assert.True(done(value), $"not reached in 15 s: {value}");
        return value;
    }

    /// <summary>What one typed client raised, in order.</summary>
    private sealed class Received
    {
        private readonly ConcurrentQueue<Notification> _notifications = new();
        private readonly ConcurrentQueue<CustomerAssigned> _assigned = new();

        public CrmEventStream Stream(CrmApi user)
        {
            var stream = new CrmEventStream(user.BaseAddress, () => Task.FromResult(user.Token));
            stream.Notification += _notifications.Enqueue;
            stream.CustomerAssigned += _assigned.Enqueue;
            return stream;
        }

        public IReadOnlyList<long> Ids => _notifications.Select(n => n.Id!.Value).ToList();

        public IReadOnlyList<Guid> Assigned => _assigned.Select(a => a.CustomerId).ToList();

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (_assigned.Count < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            // A little longer than needed would not catch a late duplicate; the id sequence assertion does.
            Assert.True(_assigned.Count >= count, $"{_assigned.Count} of {count} events arrived in 15 s");
        }
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteMessageCenterTests(ServerFixture fixture) : MessageCenterTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresMessageCenterTests(PostgresServerFixture fixture) : MessageCenterTests
{
    protected override ServerProcess Server => fixture.Server;
}
