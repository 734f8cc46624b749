using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.WebApp;

/// <summary>A team for the browser tests, with the user names the login form needs: a manager, two reps, a public pool.</summary>
public sealed record WebWorld(CrmApi Admin, CrmApi Manager, CrmApi RepA, CrmApi RepB, string Tag, string OrgUnitId, string PoolId)
{
    public const string Password = "rep-Passw0rd!";

    public string ManagerName => $"mgr-{Tag}";

    public string RepAName => $"repa-{Tag}";

    public string RepBName => $"repb-{Tag}";

    public static async Task<WebWorld> CreateAsync(ServerProcess server)
    {
        var anonymous = server.Api();
        var admin = await anonymous.LoginAsAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var unit = (await admin.CreateOrgUnitAsync($"Web team {tag}")).EnsureStatus(HttpStatusCode.Created).Value!;
        foreach (var (name, role) in new[] { ($"mgr-{tag}", Role.Manager), ($"repa-{tag}", Role.Rep), ($"repb-{tag}", Role.Rep) })
        {
            (await admin.CreateUserAsync(name, role, unit.Id, Password)).EnsureStatus(HttpStatusCode.Created);
        }

        var pool = (await admin.CreatePoolAsync($"Web pool {tag}", unit.Id, new PoolRules { RecycleAfterDaysWithoutFollowUp = 10 })).EnsureStatus(HttpStatusCode.Created).Value!;
        return new WebWorld(admin, await anonymous.LoginAsync($"mgr-{tag}", Password), await anonymous.LoginAsync($"repa-{tag}", Password),
            await anonymous.LoginAsync($"repb-{tag}", Password), tag, unit.Id, pool.Id);
    }

    public async Task<CustomerDto> NewLeadAsync(string name) =>
        (await Admin.CreateCustomerAsync(new CreateCustomerRequest(name, $"{name} Ltd.", PoolId: PoolId))).EnsureStatus(HttpStatusCode.Created).Value!;
}
