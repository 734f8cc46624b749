using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Auth;

/// <summary>
/// The company always keeps an admin: the last active one cannot be made a manager or a rep (nobody could then manage
/// users, pools or the org tree), and a user who left is not changed any more. A server of its own: the shared one's
/// other tests make admins.
/// </summary>
public sealed class LastAdminTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-last-admin");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task The_last_active_admin_stays_an_admin_and_a_departed_user_is_not_changed()
    {
        var first = await _server.Api().LoginAsAdminAsync();
        var second = (await first.CreateUserAsync("second-admin", Role.Admin, null, "Second-Adm1n-pass")).EnsureStatus(HttpStatusCode.Created).Value!;
        var secondApi = await _server.Api().LoginAsync("second-admin", "Second-Adm1n-pass");
        var firstId = (await first.SendAsync<List<UserDto>>(HttpMethod.Get, "/api/users")).Value!.Single(u => u.UserName == "admin").Id;
        var unit = (await first.CreateOrgUnitAsync("Sales")).EnsureStatus(HttpStatusCode.Created).Value!;

        (await secondApi.SendAsync<object>(HttpMethod.Post, $"/api/users/{firstId}/departure", new DepartureRequest())).EnsureStatus(HttpStatusCode.OK);

        var demoted = await secondApi.SendAsync<object>(HttpMethod.Put, $"/api/users/{second.Id}", new UpdateUserRequest(Role: Role.Manager, OrgUnitId: unit.Id));
        Assert.Equal((HttpStatusCode.Conflict, "last-admin"), (demoted.Status, demoted.Code));
        Assert.Equal(HttpStatusCode.OK, (await secondApi.GetAsync("/api/audit")).Status); // still an admin

        var departed = await secondApi.SendAsync<object>(HttpMethod.Put, $"/api/users/{firstId}", new UpdateUserRequest(Role: Role.Manager, OrgUnitId: unit.Id));
        Assert.Equal((HttpStatusCode.Conflict, "user-left"), (departed.Status, departed.Code));

        // With another admin, the demotion goes through.
        (await secondApi.CreateUserAsync("third-admin", Role.Admin, null, "Third-Adm1n-pass")).EnsureStatus(HttpStatusCode.Created);
        (await secondApi.SendAsync<object>(HttpMethod.Put, $"/api/users/{second.Id}", new UpdateUserRequest(Role: Role.Manager, OrgUnitId: unit.Id)))
            .EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_admins_demoting_or_departing_each_other_at_the_same_moment_leave_one_admin()
    {
        var keeper = await _server.Api().LoginAsAdminAsync();
        var keeperId = (await keeper.SendAsync<List<UserDto>>(HttpMethod.Get, "/api/users")).Value!.Single(u => u.UserName == "admin").Id;
        var unit = (await keeper.CreateOrgUnitAsync("Sales")).EnsureStatus(HttpStatusCode.Created).Value!;

        // Each round the only two admins turn on each other at once; the survivor makes the next round's rival.
        for (var round = 0; round < 10; round++)
        {
            var rivalName = $"rival-admin-{round}";
            var rivalId = (await keeper.CreateUserAsync(rivalName, Role.Admin, null, "Rival-Adm1n-pass")).EnsureStatus(HttpStatusCode.Created).Value!.Id;
            var rival = await _server.Api().LoginAsync(rivalName, "Rival-Adm1n-pass");

            var answers = await Task.WhenAll(
                keeper.SendAsync<object>(HttpMethod.Put, $"/api/users/{rivalId}", new UpdateUserRequest(Role: Role.Rep, OrgUnitId: unit.Id)),
                round % 2 == 0
                    ? rival.SendAsync<object>(HttpMethod.Put, $"/api/users/{keeperId}", new UpdateUserRequest(Role: Role.Rep, OrgUnitId: unit.Id))
                    : rival.SendAsync<object>(HttpMethod.Post, $"/api/users/{keeperId}/departure", new DepartureRequest()));

            // One wins; the other is refused as the last admin, or, when it came second, as no longer an admin (403), or as
            // departed (401: a departure ends the user's access tokens at once).
            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            Assert.Single(answers, a => (a.Status, a.Code) is (HttpStatusCode.Conflict, "last-admin") || a.Status == HttpStatusCode.Forbidden
                || (a.Status == HttpStatusCode.Unauthorized && round % 2 == 1));
            (keeper, keeperId) = answers[0].Status == HttpStatusCode.OK ? (keeper, keeperId) : (rival, rivalId);
            Assert.Equal(HttpStatusCode.OK, (await keeper.GetAsync("/api/audit")).Status); // still an admin
        }
    }
}
