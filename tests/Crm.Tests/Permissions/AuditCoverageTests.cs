using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// The audit log holds the actions that change who has what: a user created, customers merged, released and moved in
/// bulk (one entry per customer changed, as a hand-over writes them).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AuditCoverageTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_user_created_a_merge_and_bulk_releases_and_moves_are_audited()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var rep = (await world.Admin.CreateUserAsync($"audited-{Guid.NewGuid():N}"[..20], Role.Rep, world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        var survivor = await world.NewLeadAsync("Audit Survivor", "Audit Survivor Ltd", null);
        var duplicate = await world.NewLeadAsync("Audit Duplicate", "Audit Duplicate Ltd", null);
        (await world.Manager.SendAsync<CustomerDto>(HttpMethod.Post, $"/api/customers/{survivor.Id}/merge", new MergeRequest(duplicate.Id, "same firm")))
            .EnsureStatus(HttpStatusCode.OK);
        var owned = await world.NewLeadAsync("Audit Owned", "Audit Owned Ltd", null);
        (await world.RepA.ClaimAsync(owned.Id)).EnsureStatus(HttpStatusCode.OK);
        (await world.Manager.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/release", new BulkReleaseRequest([owned.Id], "reorganisation")))
            .EnsureStatus(HttpStatusCode.OK);
        var other = (await world.Admin.CreatePoolAsync($"Audit {Guid.NewGuid():N}", world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.Manager.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/move", new BulkMoveRequest([owned.Id, Guid.NewGuid()], other.Id)))
            .EnsureStatus(HttpStatusCode.OK);

        Assert.Equal("rep", Assert.Single(await AuditAsync(world, "user.created", rep.Id)).Details["role"]);
        Assert.Equal(duplicate.Id.ToString(), Assert.Single(await AuditAsync(world, "customer.merged", survivor.Id.ToString())).Details["duplicateId"]);
        Assert.Equal("reorganisation", Assert.Single(await AuditAsync(world, "customer.released", owned.Id.ToString())).Details["reason"]);
        Assert.Equal(other.Id, Assert.Single(await AuditAsync(world, "customer.moved", owned.Id.ToString())).Details["toPoolId"]); // the unknown id: no entry
    }

    [Fact]
    public async Task Unit_creation_pool_creation_rule_changes_and_plugin_reloads_are_audited()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var unit = (await world.Admin.CreateOrgUnitAsync($"Audit unit {Guid.NewGuid():N}"[..24], world.OrgUnitId)).EnsureStatus(HttpStatusCode.Created).Value!;
        var pool = (await world.Manager.CreatePoolAsync($"Audit pool {Guid.NewGuid():N}"[..24], world.OrgUnitId, new PoolRules { CapacityPerRep = 40 }))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        (await world.Manager.SendAsync<PoolDto>(HttpMethod.Put, $"/api/pools/{pool.Id}/rules", new PoolRules { CapacityPerRep = 25, RecycleAfterDaysWithoutFollowUp = 15 }))
            .EnsureStatus(HttpStatusCode.OK);
        var reloaded = (await world.Admin.SendAsync<PluginListDto>(HttpMethod.Post, "/api/plugins/reload")).EnsureStatus(HttpStatusCode.OK).Value!;

        var unitCreated = Assert.Single(await AuditAsync(world, "org-unit.created", unit.Id));
        Assert.Equal(unit.Name, unitCreated.Details["name"]);
        Assert.Equal(world.OrgUnitId, unitCreated.Details["parentId"]);
        Assert.Equal(world.OrgUnitId, Assert.Single(await AuditAsync(world, "pool.created", pool.Id)).Details["orgUnitId"]);
        var changed = Assert.Single(await AuditAsync(world, "pool.rules-changed", pool.Id));
        Assert.Contains("\"capacityPerRep\":40", changed.Details["from"]);
        Assert.Contains("\"capacityPerRep\":25", changed.Details["to"]);
        Assert.Contains("\"recycleAfterDaysWithoutFollowUp\":15", changed.Details["to"]);
        var reload = Assert.Single(await AuditAsync(world, "plugins.reloaded", reloaded.Generation.ToString()));
        Assert.Contains("Standard", reload.Details["loaded"]);
    }

    [Fact]
    public async Task Without_a_trusted_proxy_a_client_cannot_name_its_own_address_with_X_Forwarded_For()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var name = $"nobody-{Guid.NewGuid():N}"[..20];
        using var http = new HttpClient { BaseAddress = world.Admin.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new TokenRequest(name, "not-the-password-1")),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.77");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);

        var failure = Assert.Single(await AuditAsync(world, "auth.login-failed", name));
        Assert.NotEqual("203.0.113.77", failure.Details["address"]); // the socket's: the shared server trusts no proxy
        Assert.NotNull(failure.Details["address"]);
    }

    private static async Task<List<OrgPermissionTests.AuditEntry>> AuditAsync(TestWorld world, string action, string targetId) =>
        (await world.Admin.SendAsync<Page<OrgPermissionTests.AuditEntry>>(HttpMethod.Get, $"/api/audit?action={action}&targetId={targetId}"))
        .EnsureStatus(HttpStatusCode.OK).Value!.Items.ToList();
}
