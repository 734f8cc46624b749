using System.Net;
using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Assignment;

/// <summary>Assignment over HTTP and SignalR against the real server, with the standard plugin loaded from its folder.</summary>
[Collection(ServerCollection.Name)]
public sealed class AssignmentApiTests(ServerFixture fixture)
{
    private static PoolRules Rules(string strategy, string? mode = null, int? capacity = null) =>
        new() { Assignment = new AssignmentRule(strategy, Mode: mode), CapacityPerRep = capacity };

    /// <summary>The world's reps in rep-id order, the order round-robin serves them.</summary>
    private static (CrmApi First, CrmApi Second) InTurn(TestWorld world) =>
        string.CompareOrdinal(world.RepA.UserId, world.RepB.UserId) < 0 ? (world.RepA, world.RepB) : (world.RepB, world.RepA);

    [Fact]
    public async Task A_new_lead_is_assigned_by_the_pool_rule_and_the_rep_hears_of_it_at_once()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("round-robin"));
        var (first, second) = InTurn(world);
        await using var firstEvents = await EventRecorder.ConnectAsync(first);
        await using var secondEvents = await EventRecorder.ConnectAsync(second);

        var one = await world.NewLeadAsync("Guo Lei");
        var two = await world.NewLeadAsync("Ma Lin");

        var assigned = await firstEvents.WaitForAsync<CustomerAssigned>(one.Id);
        Assert.Equal((first.UserId, "system", "round-robin turn"), (assigned.RepId, assigned.AssignedBy, assigned.Reason));
        Assert.Equal(second.UserId, (await secondEvents.WaitForAsync<CustomerAssigned>(two.Id)).RepId);
        Assert.Equal(first.UserId, (await world.Admin.GetCustomerAsync(one.Id)).Value!.OwnerId);
        var entry = (await world.Admin.TimelineAsync(one.Id)).Value!.Last();
        Assert.Equal(("assigned", "round-robin", "created"), (entry.Kind, entry.Data["strategy"], entry.Data["trigger"]));
    }

    [Fact]
    public async Task Rules_with_an_unknown_strategy_or_bad_options_are_refused_with_field_errors()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var path = $"/api/pools/{world.PoolId}/rules";

        var unknown = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path, new PoolRules { Assignment = new("coin-toss", Fallback: "dice") });
        var badOptions = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path,
            new PoolRules { Assignment = new("profile-match", new Dictionary<string, string> { ["minScore"] = "-3", ["industyWeight"] = "2" }) });
        var badSchedule = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path, new PoolRules { Assignment = new("round-robin", Mode: "batch") });
        var badMode = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path, new PoolRules { Assignment = new("round-robin", Mode: "sometimes") });
        var good = await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, path,
            new PoolRules { Assignment = new("composite", new Dictionary<string, string> { ["filters"] = "industry,language", ["picker"] = "round-robin" }, "batch", "least-loaded", 30) });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal(["rules.assignment.fallback", "rules.assignment.strategy"], unknown.ErrorFields.Order());
        Assert.Contains("Unknown assignment strategy 'coin-toss'", unknown.Body);
        Assert.Equal(["rules.assignment.options.industyWeight", "rules.assignment.options.minScore"], badOptions.ErrorFields.Order());
        Assert.Equal(["rules.assignment.batchEveryMinutes"], badSchedule.ErrorFields);
        Assert.Equal(["rules.assignment.mode"], badMode.ErrorFields);
        good.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(30, good.Value!.Rules.Assignment!.BatchEveryMinutes);
    }

    [Fact]
    public async Task A_manager_sets_a_reps_profile_and_profile_match_uses_it()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("profile-match"));
        var profile = new RepProfileRequest(Industries: ["Logistics"], Regions: ["Ningbo"], Languages: ["zh", "en"], Seniority: 3);

        var saved = await world.Manager.SendAsync<RepProfileDto>(HttpMethod.Put, $"/api/reps/{world.RepB.UserId}/profile", profile);
        var byRep = await world.RepA.SendAsync<RepProfileDto>(HttpMethod.Put, $"/api/reps/{world.RepA.UserId}/profile", profile);
        var invalid = await world.Manager.SendAsync<RepProfileDto>(HttpMethod.Put, $"/api/reps/{world.RepB.UserId}/profile",
            new RepProfileRequest(Seniority: 99, Industries: ["Logistics"]));
        var blank = await world.Manager.SendAsync<RepProfileDto>(HttpMethod.Put, $"/api/reps/{world.RepB.UserId}/profile",
            new RepProfileRequest(Seniority: 3, Industries: [""]));
        var missing = await world.Manager.SendAsync<RepProfileDto>(HttpMethod.Put, "/api/reps/nobody/profile", profile);
        var lead = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Xu Hao", Address: "Beilun, Ningbo", PoolId: world.PoolId, Industry: "logistics")))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        saved.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(["Logistics"], saved.Value!.Industries);
        Assert.Equal((3, true, true), (saved.Value.Seniority, saved.Value.Active, saved.Value.OnDuty));
        Assert.Equal(HttpStatusCode.Forbidden, byRep.Status);
        Assert.Equal(["seniority"], invalid.ErrorFields);
        Assert.Equal(["industries"], blank.ErrorFields);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(world.RepB.UserId, await OwnerEventuallyAsync(world, lead.Id));
        Assert.StartsWith("profile-match: score 5 (industry logistics, region Ningbo)", (await world.Admin.TimelineAsync(lead.Id)).Value!.Last().Reason);
    }

    [Fact]
    public async Task Profile_match_reads_the_leads_seniority_custom_field()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, new PoolRules
        {
            Assignment = new AssignmentRule("profile-match", new Dictionary<string, string> { ["seniorityWeight"] = "10", ["tieBreak"] = "rep-id" }),
        });
        // The key the standard strategies read (ProfileMatchStrategy.SeniorityField): company-wide, so it may be defined already.
        var defined = await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest("customer", "seniority", new LocalizedName("资历", "Seniority"), "number", false, null, null));
        Assert.True(defined.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, defined.Body);
        // Without the field the reps tie and the lower rep id wins: the senior rep is the other one.
        var (junior, senior) = InTurn(world);
        (await world.Manager.SendAsync<RepProfileDto>(HttpMethod.Put, $"/api/reps/{junior.UserId}/profile", new RepProfileRequest(Seniority: 1)))
            .EnsureStatus(HttpStatusCode.OK);
        (await world.Manager.SendAsync<RepProfileDto>(HttpMethod.Put, $"/api/reps/{senior.UserId}/profile", new RepProfileRequest(Seniority: 5)))
            .EnsureStatus(HttpStatusCode.OK);

        var lead = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Key Account", PoolId: world.PoolId,
            CustomFields: Crm.Tests.CustomFields.CustomFieldKit.Values(("seniority", 4))))).EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Equal(senior.UserId, await OwnerEventuallyAsync(world, lead.Id));
        Assert.Contains("seniority 5", (await world.Admin.TimelineAsync(lead.Id)).Value!.Last().Reason);
    }

    [Fact]
    public async Task A_dry_run_answers_who_would_get_what_and_changes_nothing()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("round-robin", mode: "manual-claim"));
        var waiting = await world.NewLeadAsync();
        var path = $"/api/pools/{world.PoolId}/assignment/simulate";
        var leads = Enumerable.Range(1, 9).Select(i => new SimulatedLead($"Lead {i}", Industry: i % 3 == 0 ? "retail" : null)).ToList();

        var run = await world.Manager.SendAsync<SimulationResult>(HttpMethod.Post, path, new SimulateAssignmentRequest("round-robin", Leads: leads));
        var lastDays = await world.Manager.SendAsync<SimulationResult>(HttpMethod.Post, path, new SimulateAssignmentRequest("least-loaded", LastDays: 30));
        var unknown = await world.Manager.SendAsync<SimulationResult>(HttpMethod.Post, path, new SimulateAssignmentRequest("coin-toss", Leads: leads));
        var both = await world.Manager.SendAsync<SimulationResult>(HttpMethod.Post, path, new SimulateAssignmentRequest("weighted", Leads: leads, LastDays: 3));
        var badOption = await world.Manager.SendAsync<SimulationResult>(HttpMethod.Post, path,
            new SimulateAssignmentRequest("weighted", new Dictionary<string, string> { ["defaultWeight"] = "zero" }, LastDays: 3));
        var noPool = await world.Manager.SendAsync<SimulationResult>(HttpMethod.Post, "/api/pools/nope/assignment/simulate", new SimulateAssignmentRequest("weighted", LastDays: 3));
        var byRep = await world.RepA.SendAsync<SimulationResult>(HttpMethod.Post, path, new SimulateAssignmentRequest("weighted", LastDays: 3));

        run.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal((9, 9, 1), (run.Value!.Leads, run.Value.Assigned, run.Value.Spread));
        Assert.Equal([5, 4], run.Value.Distribution.Select(d => d.Received).OrderDescending());
        Assert.Equal(InTurn(world).First.UserId, run.Value.Decisions[0].RepId);
        Assert.Equal(waiting.Id.ToString(), Assert.Single(lastDays.Value!.Decisions).LeadId);
        Assert.Equal(["strategy"], unknown.ErrorFields);
        Assert.Equal(["leads"], both.ErrorFields);
        Assert.Equal(["options.defaultWeight"], badOption.ErrorFields);
        Assert.Equal(HttpStatusCode.NotFound, noPool.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byRep.Status);
        Assert.Null((await world.Admin.GetCustomerAsync(waiting.Id)).Value!.OwnerId);
    }

    [Fact]
    public async Task A_manager_distributes_a_list_evenly_over_the_team_in_one_call()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("round-robin", mode: "manual-claim"));
        await using var repA = await EventRecorder.ConnectAsync(world.RepA);
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await world.NewLeadAsync($"Trade fair visitor {i}")).Id);
        }

        var result = await world.Manager.SendAsync<DistributionResult>(HttpMethod.Post, "/api/assignment/distribute",
            new DistributeRequest(Filter: new DistributionFilter(PoolId: world.PoolId), OrgUnitId: world.OrgUnitId, Reason: "trade fair"));
        var again = await world.Manager.SendAsync<DistributionResult>(HttpMethod.Post, "/api/assignment/distribute",
            new DistributeRequest(CustomerIds: [ids[0]], RepIds: [world.RepA.UserId]));
        var invalid = await world.Manager.SendAsync<DistributionResult>(HttpMethod.Post, "/api/assignment/distribute",
            new DistributeRequest(CustomerIds: [ids[0]], RepIds: ["not-a-rep"]));
        var byRep = await world.RepA.SendAsync<DistributionResult>(HttpMethod.Post, "/api/assignment/distribute",
            new DistributeRequest(CustomerIds: [ids[0]], OrgUnitId: world.OrgUnitId));

        result.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal((7, 7, 0, 1), (result.Value!.Requested, result.Value.Assigned, result.Value.Refused, result.Value.Spread));
        Assert.Equal([4, 3], result.Value.Distribution.Select(d => d.Received).OrderDescending());
        Assert.Equal(ids.Order(), result.Value.Items.Select(i => i.CustomerId).Order());
        var toA = result.Value.Items.First(i => i.RepId == world.RepA.UserId);
        Assert.Equal(world.RepA.UserId, (await repA.WaitForAsync<CustomerAssigned>(toA.CustomerId)).RepId);
        Assert.Equal("already-owned", Assert.Single(again.Value!.Items).Code);
        Assert.Equal(["repIds"], invalid.ErrorFields);
        Assert.Equal(HttpStatusCode.Forbidden, byRep.Status);
    }

    [Fact]
    public async Task A_manager_cannot_distribute_leads_of_a_pool_above_its_unit_nor_learn_who_owns_another_units_customer()
    {
        var head = await TestWorld.CreateAsync(fixture.Server, Rules("round-robin", mode: "manual-claim"));
        var team = await TestWorld.CreateAsync(fixture.Server);
        // The team becomes a unit under the head office's: its manager reaches its own unit, not the head office's pool.
        (await head.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{team.OrgUnitId}", new UpdateOrgUnitRequest(ParentId: head.OrgUnitId)))
            .EnsureStatus(HttpStatusCode.OK);
        var above = await head.NewLeadAsync("Head Office Lead");
        var sibling = await TestWorld.CreateAsync(fixture.Server);
        var owned = await sibling.NewLeadAsync("Sibling Owned", "Sibling Owned Trading Co., Ltd.", "+86 139 5151 0001");
        (await sibling.RepA.ClaimAsync(owned.Id)).EnsureStatus(HttpStatusCode.OK);

        var result = (await team.Manager.SendAsync<DistributionResult>(HttpMethod.Post, "/api/assignment/distribute",
            new DistributeRequest(CustomerIds: [above.Id, owned.Id, Guid.NewGuid()], RepIds: [team.RepA.UserId]))).EnsureStatus(HttpStatusCode.OK).Value!;
        var afterwards = (await head.Admin.GetCustomerAsync(above.Id)).Value!;

        Assert.Equal(0, result.Assigned);
        Assert.All(result.Items, i => Assert.Equal((ErrorCodes.NotFound, (string?)null), (i.Code, i.RepId))); // as an unknown id: no owner named
        Assert.Null(afterwards.OwnerId);
    }

    [Fact]
    public async Task A_lead_no_rep_can_take_stays_in_the_pool_and_managers_are_told()
    {
        var world = await TestWorld.CreateAsync(fixture.Server, Rules("least-loaded", capacity: 1));
        await using var manager = await EventRecorder.ConnectAsync(world.Manager);
        await world.NewLeadAsync("First");
        await world.NewLeadAsync("Second");

        var third = await world.NewLeadAsync("Third");

        var told = await manager.WaitForAsync<LeadUnassigned>(third.Id);
        Assert.Equal((world.PoolId, "no active rep has room"), (told.PoolId, told.Reason));
        var status = (await world.Manager.SendAsync<AssignmentStatusDto>(HttpMethod.Get, $"/api/pools/{world.PoolId}/assignment")).Value!;
        Assert.Equal(third.Id, Assert.Single(status.Unassigned).CustomerId);
        Assert.Equal(2, status.Assigned);
        Assert.Null((await world.Admin.GetCustomerAsync(third.Id)).Value!.OwnerId);
    }

    /// <summary>Assignment follows creation one-way; the rep's push is the signal, the read here confirms it.</summary>
    private static async Task<string?> OwnerEventuallyAsync(TestWorld world, Guid id)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await world.Admin.GetCustomerAsync(id)).Value!.OwnerId is { } owner)
            {
                return owner;
            }

            await Task.Delay(50);
        }

        return null;
    }
}
