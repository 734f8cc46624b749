using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Client;

/// <summary>The typed client as a rep app uses it, against a real server and a real SignalR connection.</summary>
[Collection(ServerCollection.Name)]
public sealed class CrmClientTests(ServerFixture fixture)
{
    [Fact]
    public async Task Rep_app_creates_a_lead_claims_it_and_receives_CustomerClaimed()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        using var crm = await RepClientAsync(world);
        await using var events = await crm.ConnectEventsAsync();
        var claimed = new TaskCompletionSource<CustomerClaimed>(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<ICrmEvent>();
        events.CustomerClaimed += e => claimed.TrySetResult(e);
        events.Received += e => { lock (received) received.Add(e); };

        var lead = await crm.CreateCustomerAsync(new CreateCustomerRequest("Zhang San", "Hangzhou Lantern Trading Co., Ltd.", "+86 139 1111 2222", PoolId: world.PoolId));
        var owned = await crm.ClaimAsync(lead.Id);

        Assert.NotNull(crm.UserId);
        Assert.Equal(crm.UserId, owned.OwnerId);
        var evt = await claimed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(lead.Id, evt.CustomerId);
        Assert.Equal(crm.UserId, evt.RepId);
        lock (received)
        {
            Assert.Contains(received, e => e is CustomerClaimed c && c.CustomerId == lead.Id);
        }
    }

    [Fact]
    public async Task Typed_events_carry_camelCase_enums_from_the_server()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        using var crm = await RepClientAsync(world);
        await using var events = await crm.ConnectEventsAsync();
        var changed = new TaskCompletionSource<StageChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        events.StageChanged += e => changed.TrySetResult(e);
        var lead = await crm.CreateCustomerAsync(new CreateCustomerRequest("Chen Jing", PoolId: world.PoolId));
        await crm.ClaimAsync(lead.Id);

        await crm.AddFollowUpAsync(lead.Id, new FollowUpRequest(FollowUpType.Call, "interested"));
        await crm.ChangeStageAsync(lead.Id, Stage.Opportunity, "budget confirmed");

        var evt = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(Stage.Lead, evt.From);
        Assert.Equal(Stage.Opportunity, evt.To);
        var mine = await crm.ListRepCustomersAsync();
        Assert.Contains(mine.Items, c => c.Id == lead.Id && c.Stage == Stage.Opportunity);
        var found = await crm.ListCustomersAsync(new CustomerQuery(PoolId: world.PoolId, Stage: Stage.Opportunity));
        Assert.Equal([lead.Id], found.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Refusals_surface_as_CrmApiException_with_the_server_code()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        using var repA = await RepClientAsync(world);
        using var repB = await RepClientAsync(world);
        var lead = await repA.CreateCustomerAsync(new CreateCustomerRequest("Liu Yang", PoolId: world.PoolId));
        await repA.ClaimAsync(lead.Id);

        var conflict = await Assert.ThrowsAsync<CrmApiException>(() => repB.ClaimAsync(lead.Id));
        var invalid = await Assert.ThrowsAsync<CrmApiException>(() => repA.CreateCustomerAsync(new CreateCustomerRequest("", PoolId: world.PoolId)));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("already-owned", conflict.Code);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("name", invalid.Errors.Keys);
    }

    /// <summary>A new rep in the world's team, logged in through the typed client.</summary>
    private async Task<CrmClient> RepClientAsync(TestWorld world)
    {
        var userName = $"app-{Guid.NewGuid():N}"[..16];
        (await world.Admin.CreateUserAsync(userName, Role.Rep, world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created);
        var crm = new CrmClient(fixture.Server.BaseAddress);
        await crm.LoginAsync(userName, "rep-Passw0rd!");
        return crm;
    }
}
