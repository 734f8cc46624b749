using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>
/// The cheap read paths against the real server: a rep's private pool answered from the silo's page cache must follow
/// every change at once (a rep reads its own writes), and a single customer read, checked by the grain instead of the
/// read model, must see exactly what the lists see.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReadPathTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    private static async Task<Page<CustomerDto>> PrivatePoolAsync(CrmApi caller, string repId, string query = "") =>
        (await caller.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{repId}/customers{query}")).EnsureStatus(HttpStatusCode.OK).Value!;

    [Fact]
    public async Task A_reps_private_pool_page_follows_claims_changes_and_releases_at_once()
    {
        var world = await TestWorld.CreateAsync(Server);
        var first = await world.NewLeadAsync("First Trading", phone: null, company: null);
        var second = await world.NewLeadAsync("Second Trading", phone: null, company: null);
        Assert.Empty((await PrivatePoolAsync(world.RepA, world.RepA.UserId)).Items);

        (await world.RepA.ClaimAsync(first.Id)).EnsureStatus(HttpStatusCode.OK);
        var afterClaim = await PrivatePoolAsync(world.RepA, world.RepA.UserId);
        Assert.Equal([first.Id], afterClaim.Items.Select(c => c.Id));
        Assert.Equal(Stage.Lead, afterClaim.Items[0].Stage);

        // Asked twice with nothing in between (the second answer comes from the cache), then after a change of one customer.
        Assert.Equal(afterClaim.Items.Select(c => c.Id), (await PrivatePoolAsync(world.RepA, world.RepA.UserId)).Items.Select(c => c.Id));
        (await world.RepA.ChangeStageAsync(first.Id, Stage.Opportunity)).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(Stage.Opportunity, (await PrivatePoolAsync(world.RepA, world.RepA.UserId)).Items.Single().Stage);

        (await world.RepA.ClaimAsync(second.Id)).EnsureStatus(HttpStatusCode.OK);
        var both = await PrivatePoolAsync(world.RepA, world.RepA.UserId, "?pageSize=1");
        Assert.Equal(2, both.Total);
        Assert.Equal([second.Id], both.Items.Select(c => c.Id)); // newest first, one per page
        Assert.Equal([first.Id], (await PrivatePoolAsync(world.RepA, world.RepA.UserId, "?page=2&pageSize=1")).Items.Select(c => c.Id));

        (await world.RepA.ReleaseAsync(second.Id, "not interested")).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal([first.Id], (await PrivatePoolAsync(world.RepA, world.RepA.UserId)).Items.Select(c => c.Id));

        // A manager moves the other one away: the rep's next read no longer has it.
        (await world.Manager.AssignAsync(first.Id, world.RepB.UserId, "rebalance")).EnsureStatus(HttpStatusCode.OK);
        Assert.Empty((await PrivatePoolAsync(world.RepA, world.RepA.UserId)).Items);
        Assert.Equal([first.Id], (await PrivatePoolAsync(world.Manager, world.RepB.UserId)).Items.Select(c => c.Id));
    }

    [Fact]
    public async Task A_rep_cannot_read_another_reps_private_pool()
    {
        var world = await TestWorld.CreateAsync(Server);

        var refused = await world.RepA.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepB.UserId}/customers");

        refused.EnsureStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_single_read_sees_what_the_lists_see()
    {
        var world = await TestWorld.CreateAsync(Server);
        var other = await TestWorld.CreateAsync(Server);
        var unowned = await world.NewLeadAsync("Open Lead Co", phone: null, company: null);
        var ownedByB = await world.NewLeadAsync("Colleague Co", phone: null, company: null);
        (await world.RepB.ClaimAsync(ownedByB.Id)).EnsureStatus(HttpStatusCode.OK);

        // A rep: the unowned leads of its pools, not a colleague's customer; the same in its search.
        (await world.RepA.GetCustomerAsync(unowned.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.GetCustomerAsync(ownedByB.Id)).EnsureStatus(HttpStatusCode.NotFound);
        var searched = (await world.RepA.SearchAsync($"poolId={world.PoolId}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains(searched.Items, c => c.Id == unowned.Id);
        Assert.DoesNotContain(searched.Items, c => c.Id == ownedByB.Id);
        (await world.RepA.TimelinePageAsync(ownedByB.Id, null, 10)).EnsureStatus(HttpStatusCode.NotFound);

        // The owner and its manager read it; a manager and a rep of another unit do not.
        (await world.RepB.GetCustomerAsync(ownedByB.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.Manager.GetCustomerAsync(ownedByB.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.Manager.TimelinePageAsync(ownedByB.Id, null, 10)).EnsureStatus(HttpStatusCode.OK);
        (await other.Manager.GetCustomerAsync(ownedByB.Id)).EnsureStatus(HttpStatusCode.NotFound);
        (await other.RepA.GetCustomerAsync(unowned.Id)).EnsureStatus(HttpStatusCode.NotFound);
        (await other.RepA.TimelinePageAsync(unowned.Id, null, 10)).EnsureStatus(HttpStatusCode.NotFound);
        (await world.RepA.GetCustomerAsync(Guid.NewGuid())).EnsureStatus(HttpStatusCode.NotFound);
    }
}
