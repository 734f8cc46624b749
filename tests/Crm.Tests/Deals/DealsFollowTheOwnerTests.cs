using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Deals;

/// <summary>
/// An open deal follows its customer's owner, over HTTP on the real server: when a manager reassigns the customer, when
/// its rep leaves and hands it over, when a rep claims an unowned customer with a deal; the new owner lists, works and
/// wins the deal and the win is credited to it (deal list, leaderboard, contract), while closed deals keep their rep.
/// A manager may not open a deal for a rep who does not see the customer.
/// </summary>
public abstract class DealsFollowTheOwnerTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task An_open_deal_goes_with_its_customer_to_the_rep_a_manager_assigns_it_to_who_is_credited_with_the_win()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = await world.OwnedLeadAsync();
        var earlier = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal(100m))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepA.WinAsync(earlier.Id)).EnsureStatus(HttpStatusCode.OK);
        var lost = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal(200m))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.RepA.LoseAsync(lost.Id, "price")).EnsureStatus(HttpStatusCode.OK);
        var deal = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal(5_555m))).EnsureStatus(HttpStatusCode.Created).Value!;

        (await world.Manager.AssignAsync(customer.Id, world.RepB.UserId, "RepA is overloaded")).EnsureStatus(HttpStatusCode.OK);

        // The new owner has the open deal; the old rep neither sees nor lists it; the closed ones stay the old rep's.
        Assert.Equal(world.RepB.UserId, (await world.RepB.SendAsync<DealDto>(HttpMethod.Get, $"/api/deals/{deal.Id}")).EnsureStatus(HttpStatusCode.OK).Value!.RepId);
        Assert.Equal([deal.Id], (await world.RepB.ListDealsAsync($"owner={world.RepB.UserId}")).EnsureStatus(HttpStatusCode.OK).Value!.Items.Select(d => d.Id));
        Assert.Equal([deal.Id], (await world.Manager.ListDealsAsync($"owner={world.RepB.UserId}&customerId={customer.Id}")).Value!.Items.Select(d => d.Id));
        Assert.Equal([lost.Id, earlier.Id], (await world.Manager.ListDealsAsync($"owner={world.RepA.UserId}&customerId={customer.Id}")).Value!.Items.Select(d => d.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepA.GetAsync($"/api/deals/{deal.Id}")).Status);
        Assert.Equal(0, (await world.RepA.ListDealsAsync($"customerId={customer.Id}")).Value!.Total);

        var moved = Assert.Single((await world.Manager.TimelineAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK).Value!, e => e.Kind == "deal-rep-changed");
        Assert.Equal((deal.Id, world.RepA.UserId, world.RepB.UserId), (moved.Data["dealId"], moved.Data["fromRepId"], moved.Data["toRepId"]));

        var won = (await world.RepB.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((DealStatus.Won, world.RepB.UserId), (won.Status, won.RepId));
        var day = DateOnly.FromDateTime(won.ClosedAt!.Value.UtcDateTime);
        var wins = await BoardAsync(world, "dealsWon", day);
        Assert.Equal(new[] { (world.RepA.UserId, 1m), (world.RepB.UserId, 1m) }.OrderBy(e => e.Item1, StringComparer.Ordinal),
            wins.Entries.Select(e => (e.Id, e.Value)).OrderBy(e => e.Id, StringComparer.Ordinal));
        var amounts = await BoardAsync(world, "wonAmount", day);
        Assert.Equal((world.RepB.UserId, 5_555m), (amounts.Entries[0].Id, amounts.Entries[0].Value));
        Assert.Equal(100m, amounts.Entries.Single(e => e.Id == world.RepA.UserId).Value);

        var contract = (await world.RepB.SendAsync<ContractDto>(HttpMethod.Post, $"/api/deals/{deal.Id}/contract", new CreateContractRequest(
            $"HT-{Guid.NewGuid():N}"[..18], 5_555m, won.ClosedAt, [new(day.AddDays(30), 5_555m)]))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(world.RepB.UserId, contract.RepId);
    }

    [Fact]
    public async Task A_departed_reps_open_deals_go_to_the_rep_its_customers_are_handed_to()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = await world.OwnedLeadAsync();
        var deal = (await world.RepA.OpenDealAsync(customer.Id, DealKit.Deal(8_000m))).EnsureStatus(HttpStatusCode.Created).Value!;

        var left = (await world.Admin.SendAsync<UserChangeResult>(HttpMethod.Post, $"/api/users/{world.RepA.UserId}/departure",
            new DepartureRequest(world.RepB.UserId))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([(customer.Id, HandoverOutcome.Transferred)], left.PrivatePool.Select(i => (i.CustomerId, i.Outcome)));

        Assert.Equal([deal.Id], (await world.RepB.ListDealsAsync($"owner={world.RepB.UserId}")).EnsureStatus(HttpStatusCode.OK).Value!.Items.Select(d => d.Id));
        Assert.Equal(0, (await world.Admin.ListDealsAsync($"owner={world.RepA.UserId}&status=open&customerId={customer.Id}")).Value!.Total);
        var won = (await world.RepB.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(world.RepB.UserId, won.RepId);

        // The departed rep is not on the board for a win it did not make; the rep who won it tops it.
        var board = await BoardAsync(world, "wonAmount", DateOnly.FromDateTime(won.ClosedAt!.Value.UtcDateTime));
        Assert.Equal([(world.RepB.UserId, 8_000m)], board.Entries.Where(e => e.Value != 0).Select(e => (e.Id, e.Value)));
    }

    [Fact]
    public async Task A_deal_opened_for_a_member_of_an_unowned_customers_pool_goes_to_the_rep_who_claims_the_customer()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lead = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Zhou Lei {Guid.NewGuid():N}"[..20], PoolId: world.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var deal = (await world.Manager.OpenDealAsync(lead.Id, DealKit.Deal(3_000m, repId: world.RepB.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(world.RepB.UserId, deal.RepId);
        (await world.RepB.GetAsync($"/api/deals/{deal.Id}")).EnsureStatus(HttpStatusCode.OK);

        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        Assert.Equal(world.RepA.UserId, (await world.RepA.SendAsync<DealDto>(HttpMethod.Get, $"/api/deals/{deal.Id}")).EnsureStatus(HttpStatusCode.OK).Value!.RepId);
        Assert.Equal([deal.Id], (await world.RepA.ListDealsAsync($"owner={world.RepA.UserId}")).Value!.Items.Select(d => d.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.GetAsync($"/api/deals/{deal.Id}")).Status);
        Assert.Equal(0, (await world.Manager.ListDealsAsync($"owner={world.RepB.UserId}")).Value!.Total);
    }

    [Fact]
    public async Task A_manager_may_not_open_a_deal_for_a_rep_who_does_not_see_the_customer()
    {
        var world = await TestWorld.CreateAsync(Server);

        // RepA's customer: RepB does not see it, so a deal of RepB's on it would answer RepB 404.
        var owned = await world.OwnedLeadAsync();
        var teammates = await world.Manager.OpenDealAsync(owned.Id, DealKit.Deal(repId: world.RepB.UserId));
        Assert.Equal(HttpStatusCode.BadRequest, teammates.Status);
        Assert.Contains("does not see", teammates.FirstError("repId"));
        var byAdmin = await world.Admin.OpenDealAsync(owned.Id, DealKit.Deal(repId: world.RepB.UserId));
        Assert.Equal(HttpStatusCode.BadRequest, byAdmin.Status);
        Assert.Contains("repId", byAdmin.ErrorFields);
        Assert.Equal(0, (await world.Admin.ListDealsAsync($"customerId={owned.Id}")).Value!.Total);

        // An unowned lead of a pool whose member list leaves RepB out: RepB does not see it either; RepA, listed, does.
        var listed = (await world.Admin.CreatePoolAsync($"Listed {Guid.NewGuid():N}"[..20], world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{listed.Id}/members", new PoolMembersRequest([world.RepA.UserId])))
            .EnsureStatus(HttpStatusCode.OK);
        var lead = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Qian Yu {Guid.NewGuid():N}"[..20], PoolId: listed.Id)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var outsider = await world.Manager.OpenDealAsync(lead.Id, DealKit.Deal(repId: world.RepB.UserId));
        Assert.Equal(HttpStatusCode.BadRequest, outsider.Status);
        Assert.Contains("repId", outsider.ErrorFields);
        var member = (await world.Manager.OpenDealAsync(lead.Id, DealKit.Deal(repId: world.RepA.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(world.RepA.UserId, member.RepId);
        (await world.RepA.GetAsync($"/api/deals/{member.Id}")).EnsureStatus(HttpStatusCode.OK);
    }

    /// <summary>A day's board of the world's unit (no calendar of its own: UTC days).</summary>
    private static async Task<LeaderboardDto> BoardAsync(TestWorld world, string metric, DateOnly day) =>
        (await world.Manager.SendAsync<LeaderboardDto>(HttpMethod.Get, $"/api/leaderboards?metric={metric}&period=day&at={day:yyyy-MM-dd}&scopeId={world.OrgUnitId}"))
        .EnsureStatus(HttpStatusCode.OK).Value!;
}

[Collection(ServerCollection.Name)]
public sealed class SqliteDealsFollowTheOwnerTests(ServerFixture fixture) : DealsFollowTheOwnerTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresDealsFollowTheOwnerTests(PostgresServerFixture fixture) : DealsFollowTheOwnerTests
{
    protected override ServerProcess Server => fixture.Server;
}
