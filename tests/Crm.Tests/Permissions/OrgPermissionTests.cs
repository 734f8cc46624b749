using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// The org tree at work over HTTP, on both storage profiles: moves, member lists, regions, hand-overs, departures,
/// audit, exports, events.
/// </summary>
public abstract class OrgPermissionTests
{
    protected abstract ServerProcess Server { get; }

    private async Task<CrmApi> NewUserAsync(PermissionWorld world, string unitId, Role role = Role.Rep)
    {
        var name = $"u-{Guid.NewGuid():N}"[..20];
        (await world.Admin.CreateUserAsync(name, role, unitId)).EnsureStatus(HttpStatusCode.Created);
        return await Server.Api().LoginAsync(name, "rep-Passw0rd!");
    }

    private static async Task<List<AuditEntry>> AuditAsync(PermissionWorld world, string query) =>
        (await world.Admin.SendAsync<Page<AuditEntry>>(HttpMethod.Get, $"/api/audit?{query}")).EnsureStatus(HttpStatusCode.OK).Value!.Items.ToList();

    public sealed record AuditEntry(string Id, DateTimeOffset At, string ActorId, string Action, string TargetType, string TargetId,
        Dictionary<string, string?> Details);

    [Fact]
    public async Task A_rep_reads_its_own_user_record_and_no_other()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var rep = await NewUserAsync(world, world.UnitAt(Rel.Own).UnitId);
        var colleague = await NewUserAsync(world, world.UnitAt(Rel.Own).UnitId);

        var own = await rep.SendAsync<UserDto>(HttpMethod.Get, $"/api/users/{rep.UserId}");
        var other = await rep.GetAsync($"/api/users/{colleague.UserId}");

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(rep.UserId, own.Value!.Id);
        Assert.Equal(HttpStatusCode.NotFound, other.Status);
    }

    [Fact]
    public async Task Moving_a_unit_takes_its_data_out_of_the_old_managers_reach_and_into_the_new_ones()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var leaf = world.UnitAt(Rel.Below);
        var side = world.UnitAt(Rel.Sibling);
        var sideManager = await NewUserAsync(world, side.UnitId, Role.Manager);
        (await world.Manager.GetCustomerAsync(leaf.Lead.Id)).EnsureStatus(HttpStatusCode.OK);
        (await sideManager.GetCustomerAsync(leaf.Lead.Id)).EnsureStatus(HttpStatusCode.NotFound);

        (await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{leaf.UnitId}", new UpdateOrgUnitRequest(ParentId: side.UnitId)))
            .EnsureStatus(HttpStatusCode.OK);

        (await world.Manager.GetCustomerAsync(leaf.Lead.Id)).EnsureStatus(HttpStatusCode.NotFound);
        (await sideManager.GetCustomerAsync(leaf.Lead.Id)).EnsureStatus(HttpStatusCode.OK);
        (await sideManager.AssignAsync((await leaf.NewLeadAsync()).Id, leaf.RepId)).EnsureStatus(HttpStatusCode.OK);
        var moved = Assert.Single(await AuditAsync(world, $"action=org-unit.moved&targetId={leaf.UnitId}"));
        Assert.Equal(side.UnitId, moved.Details["toParentId"]);
    }

    [Fact]
    public async Task A_unit_cannot_move_below_itself()
    {
        var world = await PermissionWorld.CreateAsync(Server);

        var refused = await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{world.UnitAt(Rel.Own).UnitId}",
            new UpdateOrgUnitRequest(ParentId: world.UnitAt(Rel.Below).UnitId));

        Assert.Equal((HttpStatusCode.Conflict, "org-cycle"), (refused.Status, refused.Code));
    }

    [Fact]
    public async Task A_pool_that_lists_its_members_admits_only_them()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var listed = await NewUserAsync(world, mid.UnitId);
        (await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{mid.PoolId}/members", new PoolMembersRequest([listed.UserId])))
            .EnsureStatus(HttpStatusCode.OK);
        var lead = await mid.NewLeadAsync();

        var refused = await world.Rep.ClaimAsync(lead.Id);
        Assert.Equal((HttpStatusCode.Conflict, "not-a-pool-member"), (refused.Status, refused.Code));
        Assert.DoesNotContain(mid.PoolId, (await world.Rep.GetAsync("/api/pools")).Body);
        (await listed.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        var members = (await world.Rep.SendAsync<PoolMembersDto>(HttpMethod.Get, $"/api/pools/{mid.PoolId}/members"));
        Assert.Equal(HttpStatusCode.NotFound, members.Status);
        Assert.Single(await AuditAsync(world, $"action=pool.members-changed&targetId={mid.PoolId}"));
    }

    [Fact]
    public async Task Members_of_a_pool_must_be_reps_the_manager_manages()
    {
        var world = await PermissionWorld.CreateAsync(Server);

        var refused = await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{world.UnitAt(Rel.Own).PoolId}/members",
            new PoolMembersRequest([world.UnitAt(Rel.Sibling).RepId]));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("members[0]", refused.ErrorFields);
    }

    [Fact]
    public async Task A_unit_move_that_would_leave_a_regions_pool_outside_the_region_is_refused()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var leaf = world.UnitAt(Rel.Below);
        var region = (await world.Admin.SendAsync<RegionDto>(HttpMethod.Post, "/api/regions",
            new RegionRequest("Mid's city", mid.UnitId, leaf.PoolId, City: $"city-{Guid.NewGuid():N}"))).EnsureStatus(HttpStatusCode.Created).Value!;

        var refused = await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{leaf.UnitId}",
            new UpdateOrgUnitRequest(ParentId: world.UnitAt(Rel.Sibling).UnitId));

        Assert.Equal((HttpStatusCode.Conflict, "region-pool-outside"), (refused.Status, refused.Code));
        Assert.Equal(region.Id, refused.Problem!.Value.GetProperty("regionId").GetString());
        (await world.Manager.GetCustomerAsync(leaf.Lead.Id)).EnsureStatus(HttpStatusCode.OK); // not moved
        Assert.Empty(await AuditAsync(world, $"action=org-unit.moved&targetId={leaf.UnitId}"));
    }

    [Fact]
    public async Task A_unit_move_that_would_leave_a_rep_owning_customers_it_no_longer_stands_under_is_refused_until_they_are_handed_over()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var leaf = world.UnitAt(Rel.Below);
        // The Leaf rep owns a customer of Mid's pool: after a move of Leaf under Side it would stand outside that pool.
        var midCustomer = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Mid customer {Guid.NewGuid():N}", PoolId: mid.PoolId, OwnerId: leaf.RepId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var move = new UpdateOrgUnitRequest(ParentId: world.UnitAt(Rel.Sibling).UnitId);

        var refused = await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{leaf.UnitId}", move);

        Assert.Equal((HttpStatusCode.Conflict, "customers-left-behind"), (refused.Status, refused.Code));
        Assert.Equal(leaf.RepId, refused.Problem!.Value.GetProperty("repId").GetString());
        Assert.Equal(midCustomer.Id.ToString(), refused.Problem!.Value.GetProperty("customerIds").GetString());
        Assert.Equal(leaf.RepId, (await world.Manager.GetCustomerAsync(midCustomer.Id)).EnsureStatus(HttpStatusCode.OK).Value!.OwnerId);

        (await world.Admin.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/release", new BulkReleaseRequest([midCustomer.Id])))
            .EnsureStatus(HttpStatusCode.OK);
        (await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{leaf.UnitId}", move)).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(leaf.RepId, (await world.Admin.GetCustomerAsync(leaf.Owned.Id)).Value!.OwnerId); // what moved with it stays
    }

    [Fact]
    public async Task A_renamed_unit_is_answered_with_its_children()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);

        var renamed = (await world.Admin.SendAsync<OrgUnitDto>(HttpMethod.Put, $"/api/org-units/{mid.UnitId}", new UpdateOrgUnitRequest(Name: $"Mid renamed {Guid.NewGuid():N}")))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(world.UnitAt(Rel.Above).UnitId, renamed.ParentId);
        Assert.Equal([world.UnitAt(Rel.Below).UnitId], renamed.Children.Select(c => c.Id));
    }

    [Fact]
    public async Task A_managers_view_of_a_reps_due_list_leaves_out_the_customers_it_does_not_see()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var root = world.UnitAt(Rel.Above);
        foreach (var pool in new[] { mid.PoolId, root.PoolId })
        {
            (await world.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{pool}/rules", """{ "recycleAfterDaysWithoutFollowUp": 10 }"""))
                .EnsureStatus(HttpStatusCode.OK);
        }

        // The rep of Mid owns a customer of Mid's pool and one of Root's, above its manager's unit.
        var own = await mid.NewLeadAsync();
        var above = await root.NewLeadAsync();
        (await world.Rep.ClaimAsync(own.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.Rep.ClaimAsync(above.Id)).EnsureStatus(HttpStatusCode.OK);

        var managers = (await world.Manager.SendAsync<List<DueCustomerDto>>(HttpMethod.Get, $"/api/reps/{world.Rep.UserId}/due?days=30"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        var reps = (await world.Rep.SendAsync<List<DueCustomerDto>>(HttpMethod.Get, $"/api/reps/{world.Rep.UserId}/due?days=30"))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Contains(own.Id, managers.Select(d => d.CustomerId));
        Assert.DoesNotContain(above.Id, managers.Select(d => d.CustomerId));
        Assert.Contains(own.Id, reps.Select(d => d.CustomerId));
        Assert.Contains(above.Id, reps.Select(d => d.CustomerId));
        Assert.Equal(HttpStatusCode.NotFound, (await world.Manager.GetCustomerAsync(above.Id)).Status);
    }

    [Fact]
    public async Task A_member_list_narrows_the_pools_branch_and_never_admits_a_rep_from_above_or_beside()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var leaf = world.UnitAt(Rel.Below);

        // The rep of Mid stands above the Leaf pool's unit, the rep of Side beside it: neither may be listed, even by an admin.
        var refused = await world.Admin.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{leaf.PoolId}/members",
            new PoolMembersRequest([leaf.RepId, world.Rep.UserId, world.UnitAt(Rel.Sibling).RepId]));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(["members[1]"], refused.ErrorFields);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Rep.ClaimAsync((await leaf.NewLeadAsync()).Id)).Status);
        Assert.DoesNotContain(leaf.PoolId, (await world.Rep.GetAsync("/api/pools")).Body);
        Assert.True((await world.Admin.SendAsync<PoolMembersDto>(HttpMethod.Get, $"/api/pools/{leaf.PoolId}/members")).Value!.FollowsTree);
    }

    [Fact]
    public async Task A_listed_rep_who_moves_out_of_the_pools_branch_loses_the_pool_and_hands_over_its_customers()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var mover = await NewUserAsync(world, mid.UnitId);
        (await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{mid.PoolId}/members", new PoolMembersRequest([mover.UserId])))
            .EnsureStatus(HttpStatusCode.OK);
        var claimed = await mid.NewLeadAsync();
        (await mover.ClaimAsync(claimed.Id)).EnsureStatus(HttpStatusCode.OK);

        var moved = (await world.Admin.SendAsync<UserChangeResult>(HttpMethod.Put, $"/api/users/{mover.UserId}",
            new UpdateUserRequest(OrgUnitId: world.UnitAt(Rel.Sibling).UnitId))).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(HandoverOutcome.Released, Assert.Single(moved.PrivatePool).Outcome);
        Assert.Null((await world.Admin.GetCustomerAsync(claimed.Id)).Value!.OwnerId);
        Assert.DoesNotContain(mid.PoolId, (await mover.GetAsync("/api/pools")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await mover.ClaimAsync((await mid.NewLeadAsync()).Id)).Status);
        // Nobody on the list counts any more: the pool follows the tree again instead of shutting out Mid's reps.
        var members = (await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Get, $"/api/pools/{mid.PoolId}/members")).Value!;
        Assert.Equal((0, true), (members.Members.Count, members.FollowsTree));
        (await world.Rep.ClaimAsync((await mid.NewLeadAsync()).Id)).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_listed_rep_who_leaves_no_longer_counts_on_the_list()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var leaver = await NewUserAsync(world, mid.UnitId);
        var stays = await NewUserAsync(world, mid.UnitId);
        (await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{mid.PoolId}/members", new PoolMembersRequest([leaver.UserId])))
            .EnsureStatus(HttpStatusCode.OK);
        var claimed = await mid.NewLeadAsync();
        (await leaver.ClaimAsync(claimed.Id)).EnsureStatus(HttpStatusCode.OK);

        var left = (await world.Admin.SendAsync<UserChangeResult>(HttpMethod.Post, $"/api/users/{leaver.UserId}/departure",
            new DepartureRequest(TransferToRepId: world.Rep.UserId))).EnsureStatus(HttpStatusCode.OK).Value!;

        // The list of one departed rep no longer shuts the pool: it follows the tree, so the hand-over goes through.
        Assert.Equal(HandoverOutcome.Transferred, Assert.Single(left.PrivatePool).Outcome);
        var members = (await world.Manager.SendAsync<PoolMembersDto>(HttpMethod.Get, $"/api/pools/{mid.PoolId}/members")).Value!;
        Assert.Equal((0, true), (members.Members.Count, members.FollowsTree));
        (await stays.ClaimAsync((await mid.NewLeadAsync()).Id)).EnsureStatus(HttpStatusCode.OK);
        Assert.Contains(mid.PoolId, (await stays.GetAsync("/api/pools")).Body);
    }

    [Fact]
    public async Task A_lead_whose_address_falls_in_a_region_goes_to_the_regions_pool_and_reps_outside_it_cannot_claim_it()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var root = world.UnitAt(Rel.Above);
        var leaf = world.UnitAt(Rel.Below);
        var district = $"Gusu{Guid.NewGuid():N}"[..14];
        (await world.Admin.SendAsync<RegionDto>(HttpMethod.Post, "/api/regions",
            new RegionRequest("Suzhou old town", leaf.UnitId, leaf.PoolId, Province: "Jiangsu", District: district))).EnsureStatus(HttpStatusCode.Created);
        var leafRep = await NewUserAsync(world, leaf.UnitId);

        var inRegion = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Zhou Min", Address: $"Jiangsu, Suzhou, {district}, 88 Pingjiang Rd", PoolId: root.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var elsewhere = (await world.Admin.CreateCustomerAsync(new CreateCustomerRequest("Qian Lei", Address: "Zhejiang, Hangzhou, Xihu", PoolId: root.PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Equal(leaf.PoolId, inRegion.PoolId);
        Assert.Equal(root.PoolId, elsewhere.PoolId);
        // Moved into Root's pool, whose members include the rep of Mid, the lead still remembers its region.
        (await world.Admin.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/move", new BulkMoveRequest([inRegion.Id], root.PoolId)))
            .EnsureStatus(HttpStatusCode.OK);
        var refused = await world.Rep.ClaimAsync(inRegion.Id);
        Assert.Equal((HttpStatusCode.Conflict, "out-of-region"), (refused.Status, refused.Code));
        Assert.Equal(leaf.UnitId, refused.Problem!.Value.GetProperty("regionOrgUnitId").GetString());
        var assign = await world.Admin.AssignAsync(inRegion.Id, world.Rep.UserId);
        Assert.Equal((HttpStatusCode.Conflict, "out-of-region"), (assign.Status, assign.Code));
        (await leafRep.ClaimAsync(inRegion.Id)).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_imported_row_routed_by_a_region_names_the_pool_it_went_to()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var root = world.UnitAt(Rel.Above);
        var leaf = world.UnitAt(Rel.Below);
        var district = $"Wuzhong{Guid.NewGuid():N}"[..16];
        (await world.Admin.SendAsync<RegionDto>(HttpMethod.Post, "/api/regions",
            new RegionRequest("Suzhou south", leaf.UnitId, leaf.PoolId, Province: "Jiangsu", District: district))).EnsureStatus(HttpStatusCode.Created);

        var report = (await world.Admin.ImportCsvAsync(root.PoolId,
                $"name,address\nWu Fang,\"Jiangsu, Suzhou, {district}, 8 Dongwu Rd\"\nZheng Hui,\"Zhejiang, Hangzhou, Xihu\"\n"))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal([leaf.PoolId, root.PoolId], report.Rows.Select(r => r.PoolId));
        Assert.Equal(leaf.PoolId, (await world.Admin.GetCustomerAsync(report.Rows[0].CustomerId!.Value)).Value!.PoolId);
    }

    [Fact]
    public async Task A_rep_who_moves_keeps_what_it_may_still_own_and_hands_over_the_rest()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var leaf = world.UnitAt(Rel.Below);
        var root = world.UnitAt(Rel.Above);
        var mover = await NewUserAsync(world, leaf.UnitId);
        var leafLead1 = await leaf.NewLeadAsync();
        var leafLead2 = await leaf.NewLeadAsync();
        var rootLead = await root.NewLeadAsync();
        foreach (var lead in new[] { leafLead1, leafLead2, rootLead })
        {
            (await mover.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        }

        var moved = (await world.Admin.SendAsync<UserChangeResult>(HttpMethod.Put, $"/api/users/{mover.UserId}",
            new UpdateUserRequest(OrgUnitId: world.UnitAt(Rel.Sibling).UnitId, TransferToRepId: leaf.RepId))).EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.Equal(world.UnitAt(Rel.Sibling).UnitId, moved.User.OrgUnitId);
        var outcomes = moved.PrivatePool.ToDictionary(i => i.CustomerId, i => i.Outcome);
        Assert.Equal(HandoverOutcome.Kept, outcomes[rootLead.Id]);
        Assert.Equal(HandoverOutcome.Transferred, outcomes[leafLead1.Id]);
        Assert.Equal(HandoverOutcome.Transferred, outcomes[leafLead2.Id]);
        Assert.Equal(leaf.RepId, (await world.Admin.GetCustomerAsync(leafLead1.Id)).Value!.OwnerId);
        Assert.Equal(mover.UserId, (await world.Admin.GetCustomerAsync(rootLead.Id)).Value!.OwnerId);
        var mine = (await mover.SendAsync<Page<CustomerDto>>(HttpMethod.Get, $"/api/reps/{mover.UserId}/customers")).Value!;
        Assert.Equal([rootLead.Id], mine.Items.Select(c => c.Id));
        Assert.Single(await AuditAsync(world, $"action=user.changed&targetId={mover.UserId}"));
        Assert.Single(await AuditAsync(world, $"action=customer.transferred&targetId={leafLead1.Id}"));
    }

    [Fact]
    public async Task A_rep_who_leaves_releases_its_customers_and_can_no_longer_sign_in()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var mid = world.UnitAt(Rel.Own);
        var name = $"leaver-{Guid.NewGuid():N}"[..20];
        (await world.Admin.CreateUserAsync(name, Role.Rep, mid.UnitId)).EnsureStatus(HttpStatusCode.Created);
        var leaver = await Server.Api().LoginAsync(name, "rep-Passw0rd!");
        var leads = new[] { await mid.NewLeadAsync(), await mid.NewLeadAsync() };
        foreach (var lead in leads)
        {
            (await leaver.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        }

        var left = (await world.Admin.SendAsync<UserChangeResult>(HttpMethod.Post, $"/api/users/{leaver.UserId}/departure", new DepartureRequest()))
            .EnsureStatus(HttpStatusCode.OK).Value!;

        Assert.False(left.User.Active);
        Assert.All(left.PrivatePool, i => Assert.Equal(HandoverOutcome.Released, i.Outcome));
        Assert.Equal(leads.Select(l => l.Id).Order(), left.PrivatePool.Select(i => i.CustomerId).Order());
        foreach (var lead in leads)
        {
            Assert.Null((await world.Admin.GetCustomerAsync(lead.Id)).Value!.OwnerId);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Api().SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token",
            new TokenRequest(name, "rep-Passw0rd!"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await leaver.GetAsync("/api/pools")).Status);
        Assert.Single(await AuditAsync(world, $"action=user.departed&targetId={leaver.UserId}"));
    }

    [Fact]
    public async Task A_promotion_takes_effect_on_the_next_request_with_the_same_token()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        var rep = await NewUserAsync(world, world.UnitAt(Rel.Own).UnitId);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/users")).Status);

        (await world.Admin.SendAsync<UserChangeResult>(HttpMethod.Put, $"/api/users/{rep.UserId}", new UpdateUserRequest(Role: Role.Manager)))
            .EnsureStatus(HttpStatusCode.OK);

        var users = (await rep.GetAsync("/api/users")).EnsureStatus(HttpStatusCode.OK);
        Assert.Contains(world.UnitAt(Rel.Below).RepId, users.Body);
        Assert.DoesNotContain(world.UnitAt(Rel.Sibling).RepId, users.Body);
        var change = Assert.Single(await AuditAsync(world, $"action=user.changed&targetId={rep.UserId}"));
        Assert.Equal(("rep", "manager"), (change.Details["fromRole"], change.Details["toRole"]));
    }

    [Fact]
    public async Task An_export_holds_only_what_the_caller_sees_and_is_audited()
    {
        var world = await PermissionWorld.CreateAsync(Server);

        var csv = (await world.Manager.GetTextAsync("/api/customers/export?query=" + Uri.EscapeDataString(world.UnitAt(Rel.Own).Name.Split('-')[1])))
            .EnsureStatus(HttpStatusCode.OK).Body;

        Assert.StartsWith("id,name,", csv);
        Assert.Contains(world.UnitAt(Rel.Own).Lead.Id.ToString(), csv);
        Assert.Contains(world.UnitAt(Rel.Below).Owned.Id.ToString(), csv);
        Assert.DoesNotContain(world.UnitAt(Rel.Above).Lead.Id.ToString(), csv);
        Assert.DoesNotContain(world.UnitAt(Rel.Sibling).Lead.Id.ToString(), csv);
        var export = Assert.Single(await AuditAsync(world, $"action=customers.exported&actorId={world.Manager.UserId}"));
        Assert.Equal("4", export.Details["rows"]);

        // UTF-8 with its byte-order mark: Excel on a Chinese or Russian Windows reads the names right only with it.
        var bytes = (await world.Manager.GetBytesAsync("/api/customers/export?query=" + Uri.EscapeDataString(world.UnitAt(Rel.Own).Name.Split('-')[1]))).Body;
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'i', (byte)'d' }, bytes[..5]);
    }

    [Fact]
    public async Task A_manager_receives_the_events_of_the_units_below_but_not_of_those_above_or_beside()
    {
        var world = await PermissionWorld.CreateAsync(Server);
        await using var manager = await EventRecorder.ConnectAsync(world.Manager);
        await using var rep = await EventRecorder.ConnectAsync(world.Rep);
        var below = await world.UnitAt(Rel.Below).NewLeadAsync();
        var above = await world.UnitAt(Rel.Above).NewLeadAsync();
        var beside = await world.UnitAt(Rel.Sibling).NewLeadAsync();

        foreach (var (rel, lead) in new[] { (Rel.Below, below), (Rel.Above, above), (Rel.Sibling, beside) })
        {
            (await world.Admin.AssignAsync(lead.Id, world.UnitAt(rel).RepId)).EnsureStatus(HttpStatusCode.OK);
        }

        await manager.WaitForAsync<CustomerAssigned>(below.Id);
        // Then a change both of them must see: once it has arrived, anything the three assignments sent has arrived too.
        var own = await world.UnitAt(Rel.Own).NewLeadAsync();
        (await world.Admin.AssignAsync(own.Id, world.Rep.UserId)).EnsureStatus(HttpStatusCode.OK);
        await manager.WaitForAsync<CustomerAssigned>(own.Id);
        await rep.WaitForAsync<CustomerAssigned>(own.Id);
        Assert.DoesNotContain(manager.Events, e => e.Payload.GetProperty("customerId").GetGuid() is var id && (id == above.Id || id == beside.Id));
        Assert.DoesNotContain(rep.Events, e => e.Payload.GetProperty("customerId").GetGuid() is var id && (id == below.Id || id == above.Id || id == beside.Id));
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteOrgPermissionTests(ServerFixture fixture) : OrgPermissionTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresOrgPermissionTests(PostgresServerFixture fixture) : OrgPermissionTests
{
    protected override ServerProcess Server => fixture.Server;
}
