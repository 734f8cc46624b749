using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Pools;

/// <summary>Pool rules at work over HTTP against the real server: due lists, status pools, collusion and bulk actions.</summary>
[Collection(ServerCollection.Name)]
public sealed class PoolsApiTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    private static async Task<CustomerDto> OwnedByAsync(TestWorld world, CrmApi rep, string name)
    {
        var lead = await world.NewLeadAsync(name, company: null, phone: null);
        return (await rep.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK).Value!;
    }

    [Fact]
    public async Task Rules_out_of_range_are_refused_with_the_fields_named()
    {
        var world = await TestWorld.CreateAsync(Server);

        var refused = await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            """{ "coolDownHours": -2, "collusionWindowHours": 0, "exemptCustomers": true }""");
        var overrides = await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            """{ "capacityOverrides": { "rep-1": 0 }, "exemptCustomers": true }""");

        refused.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["rules.collusionWindowHours", "rules.coolDownHours"], refused.ErrorFields.Order());
        Assert.Equal(["rules.capacityOverrides"], overrides.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task A_capacity_override_must_name_a_rep_of_the_pools_unit()
    {
        var world = await TestWorld.CreateAsync(Server);
        var elsewhere = (await world.Admin.CreateOrgUnitAsync($"Elsewhere {Guid.NewGuid():N}"[..20])).EnsureStatus(HttpStatusCode.Created).Value!;
        var outsider = (await world.Admin.CreateUserAsync($"out-{Guid.NewGuid():N}"[..16], Role.Rep, elsewhere.Id)).EnsureStatus(HttpStatusCode.Created).Value!;

        var unknown = await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", """{ "capacityOverrides": { "nope": 5 } }""");
        var outside = await world.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            $$"""{ "capacityOverrides": { "{{world.RepA.UserId}}": 5, "{{outsider.Id}}": 5 } }""");
        var created = await world.Admin.CreatePoolAsync($"Overrides {Guid.NewGuid():N}"[..20], world.OrgUnitId,
            new PoolRules { CapacityOverrides = new Dictionary<string, int> { [world.Manager.UserId] = 5 } });

        Assert.Equal(["rules.capacityOverrides.nope"], unknown.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal([$"rules.capacityOverrides.{outsider.Id}"], outside.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal([$"rules.capacityOverrides.{world.Manager.UserId}"], created.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields);
        var saved = (await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            $$"""{ "capacityOverrides": { "{{world.RepA.UserId}}": 5 } }""")).EnsureStatus(HttpStatusCode.OK).Value;
        Assert.Equal(5, saved.GetProperty("rules").GetProperty("capacityOverrides").GetProperty(world.RepA.UserId).GetInt32());
    }

    [Fact]
    public async Task Rules_round_trip_in_camel_case()
    {
        var world = await TestWorld.CreateAsync(Server);

        var saved = (await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            """{ "recycleAfterDaysWithoutFollowUp": 10, "warnDaysBefore": [2, 1], "exemptCustomers": true, "coolDownHours": 6, "pingPongDays": null }"""))
            .EnsureStatus(HttpStatusCode.OK).Value;

        var rules = saved.GetProperty("rules");
        Assert.True(rules.GetProperty("exemptCustomers").GetBoolean());
        Assert.Equal(6, rules.GetProperty("coolDownHours").GetInt32());
        Assert.Equal(24, rules.GetProperty("collusionWindowHours").GetInt32());
        Assert.Equal(JsonValueKind.Null, rules.GetProperty("pingPongDays").ValueKind);
    }

    [Fact]
    public async Task Level_rules_and_recycle_destinations_name_real_levels_and_pools_the_manager_may_use()
    {
        var world = await TestWorld.CreateAsync(Server);
        var other = (await world.Admin.CreatePoolAsync($"Overflow {Guid.NewGuid():N}", world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;

        var refused = await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            """{ "recycleAfterDaysWithoutFollowUp": 10, "recycleToPoolId": "no-such-pool", "byLevel": { "Z": { "exempt": true }, "A": { "recycleToPoolId": "gone" } } }""");
        Assert.Equal(["rules.byLevel.A.recycleToPoolId", "rules.byLevel.Z", "rules.recycleToPoolId"],
            refused.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields.Order());

        var saved = (await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules",
            $$"""{ "recycleAfterDaysWithoutFollowUp": 10, "recycleToPoolId": "{{other.Id}}", "byLevel": { "A": { "exempt": true }, "B": { "recycleAfterDaysWithoutFollowUp": 30, "recycleAfterDaysWithoutDeal": 90 } } }"""))
            .EnsureStatus(HttpStatusCode.OK).Value;
        var read = (await world.RepA.SendAsync<JsonElement>(HttpMethod.Get, $"/api/pools/{world.PoolId}")).EnsureStatus(HttpStatusCode.OK).Value;

        foreach (var rules in new[] { saved.GetProperty("rules"), read.GetProperty("rules") })
        {
            Assert.Equal(other.Id, rules.GetProperty("recycleToPoolId").GetString());
            Assert.True(rules.GetProperty("byLevel").GetProperty("A").GetProperty("exempt").GetBoolean());
            Assert.Equal(90, rules.GetProperty("byLevel").GetProperty("B").GetProperty("recycleAfterDaysWithoutDeal").GetInt32());
        }
    }

    [Fact]
    public async Task A_rep_sees_what_drops_soonest_first_with_names_and_reasons()
    {
        var world = await TestWorld.CreateAsync(Server, new PoolRules { RecycleAfterDaysWithoutFollowUp = 3, RecycleAfterDaysWithoutDeal = 60 });
        var first = await OwnedByAsync(world, world.RepA, "First Co");
        var second = await OwnedByAsync(world, world.RepA, "Second Co");

        var due = (await world.RepA.SendAsync<List<DueCustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/due?days=4"))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal([first.Id, second.Id], due.Select(d => d.CustomerId));
        Assert.Equal(["First Co", "Second Co"], due.Select(d => d.Name));
        Assert.All(due, d => Assert.Equal("no follow-up for 3 days", d.Reason));
        Assert.All(due, d => Assert.InRange(d.DaysLeft, 2.9, 3.0));
        Assert.Empty((await world.RepA.SendAsync<List<DueCustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/due?days=2")).Value!);
        Assert.Equal(["days"], (await world.RepA.GetAsync($"/api/reps/{world.RepA.UserId}/due?days=-1")).ErrorFields);
    }

    [Fact]
    public async Task Customers_are_listed_and_counted_by_status_pool()
    {
        var world = await TestWorld.CreateAsync(Server);
        var lost = await OwnedByAsync(world, world.RepA, "Lost Co");
        var bought = await OwnedByAsync(world, world.RepA, "Bought Co");
        var open = await world.NewLeadAsync("Open Co");
        (await world.RepA.ChangeStageAsync(lost.Id, Stage.Lost, "went to a competitor")).EnsureStatus(HttpStatusCode.OK);
        (await world.RepA.ChangeStageAsync(bought.Id, Stage.Customer)).EnsureStatus(HttpStatusCode.OK);

        var failures = (await world.Manager.SearchAsync($"poolId={world.PoolId}&statusPool=failure")).EnsureStatus(HttpStatusCode.OK).Value!;
        var nurturing = (await world.Manager.SearchAsync($"poolId={world.PoolId}&statusPool=nurturing")).Value!;
        var counts = (await world.Manager.SendAsync<List<StatusPoolCountDto>>(HttpMethod.Get, $"/api/status-pools/counts?poolId={world.PoolId}"))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal([lost.Id], failures.Items.Select(c => c.Id));
        Assert.Equal([open.Id], nurturing.Items.Select(c => c.Id));
        Assert.Equal(
            [new StatusPoolCountDto(world.PoolId, null, 1, 0, 0, 0), new StatusPoolCountDto(world.PoolId, world.RepA.UserId, 0, 1, 1, 0)],
            counts.OrderBy(c => c.OwnerId));
        Assert.Equal(["statusPool"], (await world.Manager.SearchAsync("statusPool=golden")).ErrorFields);
    }

    [Fact]
    public async Task Managers_see_a_quick_handover_between_two_reps_with_the_evidence()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customer = await OwnedByAsync(world, world.RepA, "Handed Over Co");
        (await world.RepA.ReleaseAsync(customer.Id, "no budget")).EnsureStatus(HttpStatusCode.OK);
        (await world.RepB.ClaimAsync(customer.Id)).EnsureStatus(HttpStatusCode.OK);

        var cases = (await world.Manager.SendAsync<List<CollusionCaseDto>>(HttpMethod.Get, $"/api/pools/{world.PoolId}/collusion"))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        var found = Assert.Single(cases);
        Assert.Equal(("quick-handover", customer.Id, world.RepA.UserId, world.RepB.UserId), (found.Kind, found.CustomerId, found.FromRepId, found.ToRepId));
        Assert.Equal(["released", "claimed"], found.Evidence.Select(e => e.Kind));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.RepA.GetAsync($"/api/pools/{world.PoolId}/collusion")).Status);
    }

    [Fact]
    public async Task A_bulk_release_answers_per_customer()
    {
        var world = await TestWorld.CreateAsync(Server);
        var owned = await OwnedByAsync(world, world.RepA, "Owned Co");
        var unowned = await world.NewLeadAsync("Unowned Co");
        var missing = Guid.NewGuid();

        var result = (await world.Manager.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/release",
            new BulkReleaseRequest([owned.Id, unowned.Id, missing], "territory change"))).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal([(owned.Id, true, null), (unowned.Id, false, "not-owned"), (missing, false, "not-found")],
            result.Items.Select(i => (i.CustomerId, i.Ok, i.Code)));
        Assert.Equal((1, 2), (result.Succeeded, result.Failed));
        Assert.Null((await world.Manager.GetCustomerAsync(owned.Id)).Value!.OwnerId);
        Assert.Equal(["customerIds"], (await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, "/api/customers/bulk/release",
            new BulkReleaseRequest([]))).ErrorFields);
    }

    [Fact]
    public async Task A_bulk_move_takes_customers_to_another_pool_and_keeps_their_owner()
    {
        var world = await TestWorld.CreateAsync(Server);
        var other = (await world.Admin.CreatePoolAsync($"Other {Guid.NewGuid():N}", world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        var owned = await OwnedByAsync(world, world.RepA, "Moving Co");

        var moved = (await world.Manager.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/move",
            new BulkMoveRequest([owned.Id], other.Id, "reorganisation"))).EnsureStatus(HttpStatusCode.OK).Value!;
        var nowhere = await world.Manager.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/move", new BulkMoveRequest([owned.Id], "no-such-pool"));

        Assert.True(Assert.Single(moved.Items).Ok);
        var customer = (await world.Manager.GetCustomerAsync(owned.Id)).Value!;
        Assert.Equal((other.Id, world.RepA.UserId), (customer.PoolId, customer.OwnerId));
        Assert.Equal("moved", (await world.Manager.TimelineAsync(owned.Id)).Value!.Last().Kind);
        Assert.Equal(["toPoolId"], nowhere.EnsureStatus(HttpStatusCode.BadRequest).ErrorFields); // the request's mistake, not each customer's
    }

    [Fact]
    public async Task A_rep_s_whole_private_pool_is_transferred_to_another_rep()
    {
        var world = await TestWorld.CreateAsync(Server);
        var one = await OwnedByAsync(world, world.RepA, "One Co");
        var two = await OwnedByAsync(world, world.RepA, "Two Co");

        var items = (await world.Manager.SendAsync<List<HandoverItem>>(HttpMethod.Post, $"/api/reps/{world.RepA.UserId}/transfer",
            new TransferPrivatePoolRequest(world.RepB.UserId, "on leave"))).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal([(one.Id, HandoverOutcome.Transferred), (two.Id, HandoverOutcome.Transferred)],
            items.Select(i => (i.CustomerId, i.Outcome)).OrderBy(i => i.CustomerId == one.Id ? 0 : 1));
        var bPool = (await world.RepB.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepB.UserId}/customers")).Value!;
        Assert.Equal(2, bPool.Total);
        Assert.Equal(0, (await world.Manager.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{world.RepA.UserId}/customers")).Value!.Total);
        Assert.Equal(["toRepId"], (await world.Manager.SendAsync<JsonElement>(HttpMethod.Post, $"/api/reps/{world.RepA.UserId}/transfer",
            new TransferPrivatePoolRequest(world.RepA.UserId))).ErrorFields);
    }

    [Fact]
    public async Task A_customer_the_other_rep_cannot_take_stays_with_the_rep_whose_pool_is_transferred()
    {
        var world = await TestWorld.CreateAsync(Server);
        var kept = await OwnedByAsync(world, world.RepA, "Kept Co");
        await OwnedByAsync(world, world.RepB, "Full Co");
        (await world.Manager.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{world.PoolId}/rules", """{ "capacityPerRep": 1 }"""))
            .EnsureStatus(HttpStatusCode.OK);

        // The rep stays with the company: a transfer the other rep cannot take must not throw its customer back to the pool.
        var item = Assert.Single((await world.Manager.SendAsync<List<HandoverItem>>(HttpMethod.Post, $"/api/reps/{world.RepA.UserId}/transfer",
            new TransferPrivatePoolRequest(world.RepB.UserId, "on leave"))).EnsureStatus(HttpStatusCode.OK).Value!);

        Assert.Equal((kept.Id, HandoverOutcome.Kept, "capacity-full"), (item.CustomerId, item.Outcome, item.Code));
        Assert.Equal(world.RepA.UserId, (await world.Manager.GetCustomerAsync(kept.Id)).Value!.OwnerId);
    }
}
