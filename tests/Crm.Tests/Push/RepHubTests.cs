using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Crm.Tests.Push;

/// <summary>Live events over a real SignalR connection to the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class RepHubTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_rep_receives_assigned_claimed_follow_up_and_stage_events_for_its_customers_live()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        await using var repA = await EventRecorder.ConnectAsync(world.RepA);
        await using var repB = await EventRecorder.ConnectAsync(world.RepB);
        var assigned = await world.NewLeadAsync("Assigned lead");
        var claimed = await world.NewLeadAsync("Claimed lead");

        (await world.Manager.AssignAsync(assigned.Id, world.RepA.UserId, "key account")).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ClaimAsync(claimed.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.FollowUpAsync(claimed.Id, FollowUpType.Visit, "demo booked")).EnsureStatus(HttpStatusCode.Created);
        (await world.RepA.ChangeStageAsync(claimed.Id, Stage.Opportunity, "budget confirmed")).EnsureStatus(HttpStatusCode.OK);

        var onAssign = await repA.WaitForAsync<CustomerAssigned>(assigned.Id);
        Assert.Equal((world.RepA.UserId, world.Manager.UserId, "key account"), (onAssign.RepId, onAssign.AssignedBy, onAssign.Reason));
        Assert.Equal(world.RepA.UserId, (await repA.WaitForAsync<CustomerClaimed>(claimed.Id)).RepId);
        var followUp = await repA.WaitForAsync<FollowUpAdded>(claimed.Id);
        Assert.Equal((FollowUpType.Visit, "demo booked"), (followUp.Type, followUp.Outcome));
        var stage = await repA.WaitForAsync<StageChanged>(claimed.Id);
        Assert.Equal((Stage.Lead, Stage.Opportunity, "budget confirmed"), (stage.From, stage.To, stage.Reason));

        // Rep B has its own connection and sees nothing of rep A's customers: once its own claim has reached it,
        // anything about rep A's customers sent before would have too.
        var own = await world.NewLeadAsync("Rep B's lead");
        (await world.RepB.ClaimAsync(own.Id)).EnsureStatus(HttpStatusCode.OK);
        await repB.WaitForAsync<CustomerClaimed>(own.Id);
        Assert.All(repB.Events, e => Assert.Equal(own.Id, e.Payload.GetProperty("customerId").GetGuid()));
    }

    [Fact]
    public async Task A_rep_watching_its_public_pool_hears_a_colleague_claim_a_lead_but_not_the_pools_of_other_units()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var elsewhere = await TestWorld.CreateAsync(fixture.Server);
        await using var repB = await EventRecorder.ConnectAsync(world.RepB);
        Assert.True(await repB.WatchPoolAsync(world.PoolId));
        Assert.False(await repB.WatchPoolAsync(elsewhere.PoolId));
        Assert.False(await repB.WatchPoolAsync("no-such-pool"));
        var lead = await world.NewLeadAsync("Watched lead");
        var foreign = await elsewhere.NewLeadAsync("Another unit's lead");

        (await elsewhere.RepA.ClaimAsync(foreign.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(world.RepA.UserId, (await repB.WaitForAsync<CustomerClaimed>(lead.Id)).RepId);
        (await world.RepA.ReleaseAsync(lead.Id, "not my region")).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("not my region", (await repB.WaitForAsync<CustomerReleased>(lead.Id)).Reason);

        // The other unit's claim was committed and pushed before the two events above: had the refused watch joined
        // rep B to that pool anyway, its event would have arrived by now.
        Assert.False(repB.Received<CustomerClaimed>(foreign.Id));
    }

    /// <summary>
    /// A rep watching its pool is also the one a claim or an assignment of that pool's lead is about: the event reaches it
    /// through its own channel, and the pool's watchers must not hand it the same event a second time.
    /// </summary>
    [Fact]
    public async Task A_rep_watching_the_pool_hears_its_own_claim_and_assignment_once()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        await using var repA = await EventRecorder.ConnectAsync(world.RepA);
        Assert.True(await repA.WatchPoolAsync(world.PoolId));
        var assigned = await world.NewLeadAsync("Assigned lead");
        var claimed = await world.NewLeadAsync("Claimed lead");
        var colleagues = await world.NewLeadAsync("Rep B's lead");

        (await world.Manager.AssignAsync(assigned.Id, world.RepA.UserId, "key account")).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ClaimAsync(claimed.Id)).EnsureStatus(HttpStatusCode.OK);
        await repA.WaitForAsync<CustomerAssigned>(assigned.Id);
        await repA.WaitForAsync<CustomerClaimed>(claimed.Id);
        // Rep B's claim reaches rep A through the pool only, after the pool's two earlier events (one channel, in order):
        // a second copy of those would have arrived by then.
        (await world.RepB.ClaimAsync(colleagues.Id)).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(world.RepB.UserId, (await repA.WaitForAsync<CustomerClaimed>(colleagues.Id)).RepId);

        Assert.Single(repA.All<CustomerAssigned>(e => e.CustomerId == assigned.Id));
        Assert.Single(repA.All<CustomerClaimed>(e => e.CustomerId == claimed.Id));
    }

    [Fact]
    public async Task A_rep_taken_off_a_pools_member_list_stops_hearing_the_pool_it_watches()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var name = $"repc-{Guid.NewGuid():N}"[..16];
        (await world.Admin.CreateUserAsync(name, Role.Rep, world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created);
        var repC = await fixture.Server.Api().LoginAsync(name, "rep-Passw0rd!");
        await using var removed = await EventRecorder.ConnectAsync(world.RepA);
        await using var stays = await EventRecorder.ConnectAsync(repC);
        Assert.True(await removed.WatchPoolAsync(world.PoolId)); // a member by the org tree
        Assert.True(await stays.WatchPoolAsync(world.PoolId));
        var lead = await world.NewLeadAsync("Watched lead");

        (await world.Admin.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{world.PoolId}/members",
            new PoolMembersRequest([world.RepB.UserId, repC.UserId]))).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.GetAsync($"/api/pools/{world.PoolId}")).EnsureStatus(HttpStatusCode.NotFound);
        // The server's check runs every second: wait until it has ended rep A's connection, or, had it kept the watch,
        // long enough for many checks to have run.
        await Task.WhenAny(removed.Closed, Task.Delay(TimeSpan.FromSeconds(10)));
        (await world.RepB.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        // Rep C hears the claim through the pool only; the same send to the pool's group would have reached rep A too.
        Assert.Equal(world.RepB.UserId, (await stays.WaitForAsync<CustomerClaimed>(lead.Id)).RepId);
        Assert.False(removed.Received<CustomerClaimed>(lead.Id));
        Assert.True(removed.Closed.IsCompleted); // closed, so that the client reconnects with what it may see now
        await using var again = await EventRecorder.ConnectAsync(world.RepA);
        Assert.False(await again.WatchPoolAsync(world.PoolId));
    }

    [Fact]
    public async Task A_manager_receives_the_events_of_its_org_unit()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        await using var manager = await EventRecorder.ConnectAsync(world.Manager);
        var lead = await world.NewLeadAsync();

        (await world.RepB.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        Assert.Equal(world.RepB.UserId, (await manager.WaitForAsync<CustomerClaimed>(lead.Id)).RepId);
    }

    [Fact]
    public async Task A_connection_without_a_valid_token_is_refused()
    {
        var anonymous = new CrmApi(fixture.Server.BaseAddress, "not-a-token");

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => await EventRecorder.ConnectAsync(anonymous));

        Assert.Contains("401", refused.Message);
    }
}

/// <summary>
/// What a hub method passes on to the database: PostgreSQL refuses a NUL in text, so an id carrying one was a hub error
/// there instead of the false any unknown id gets.
/// </summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresRepHubTests(PostgresServerFixture fixture)
{
    [Fact]
    public async Task A_pool_or_board_id_with_a_control_character_is_refused_like_an_unknown_one()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        await using var rep = await EventRecorder.ConnectAsync(world.RepA);

        Assert.False(await rep.WatchPoolAsync("pool\0x"));
        Assert.False(await rep.WatchPoolAsync("pool\u001b"));
        Assert.False(await rep.WatchLeaderboardAsync("unit\0x"));
        Assert.True(await rep.WatchPoolAsync(world.PoolId)); // the connection is still fine
    }
}
