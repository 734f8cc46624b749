using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// Refusals and lookups tell a caller no more than it may see: a rep refused a claim is not told who owns the
/// customer, a duplicate in another unit is named by id only, managers see no plugin paths or exception texts.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LeastDisclosureTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_rep_refused_a_claim_is_not_told_who_owns_the_customer()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Owned elsewhere");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        var refused = await world.RepB.ClaimAsync(lead.Id);

        refused.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal(ErrorCodes.AlreadyOwned, refused.Code);
        Assert.False(refused.Problem!.Value.TryGetProperty("ownerId", out _), refused.Body);
        Assert.DoesNotContain(world.RepA.UserId, refused.Body);
    }

    [Fact]
    public async Task A_duplicate_in_another_unit_is_named_by_id_only_and_one_in_the_callers_unit_in_full()
    {
        var home = await fixture.SharedWorldAsync();
        var other = await TestWorld.CreateAsync(fixture.Server);
        var phone = $"+86 139 {Random.Shared.Next(1000, 9999)} {Random.Shared.Next(1000, 9999)}";
        var theirs = (await other.Admin.CreateCustomerAsync(new CreateCustomerRequest("Zhao", "Hidden Trading Ltd", phone, PoolId: other.PoolId, OwnerId: other.RepA.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var fromHome = await home.RepA.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check", new CreateCustomerRequest("Zhao", null, phone, PoolId: home.PoolId));
        var fromTheirUnit = await other.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check", new CreateCustomerRequest("Zhao", null, phone, PoolId: other.PoolId));

        var hidden = Assert.Single(fromHome.EnsureStatus(HttpStatusCode.OK).Value!.Matches, m => m.CustomerId == theirs.Id);
        Assert.Null(hidden.CustomerName);
        Assert.Null(hidden.OwnerId);
        Assert.Null(hidden.OwnerName);
        Assert.DoesNotContain("Hidden Trading", fromHome.Body);
        var visible = Assert.Single(fromTheirUnit.EnsureStatus(HttpStatusCode.OK).Value!.Matches, m => m.CustomerId == theirs.Id);
        Assert.Equal(other.RepA.UserId, visible.OwnerId);
    }

    [Fact]
    public async Task Managers_see_plugins_without_server_paths_or_exception_texts_and_admins_see_them()
    {
        var world = await fixture.SharedWorldAsync();

        var asAdmin = (await world.Admin.GetAsync("/api/plugins")).EnsureStatus(HttpStatusCode.OK);
        var asManager = (await world.Manager.GetAsync("/api/plugins")).EnsureStatus(HttpStatusCode.OK);

        var directory = asAdmin.Value.GetProperty("directory").GetString()!;
        Assert.StartsWith("/", directory);
        Assert.DoesNotContain(directory, asManager.Body);
        Assert.DoesNotContain("Exception", asManager.Body);
        var names = (JsonElement list) => list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(names(asAdmin.Value), names(asManager.Value));
    }
}
