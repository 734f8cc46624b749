using System.Net;
using Crm.Client;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// A small sales organisation on a running server: one org unit, a manager, two reps and a public pool.
/// Each world uses fresh names, so many worlds can share one server.
/// </summary>
public sealed record TestWorld(CrmApi Admin, CrmApi Manager, CrmApi RepA, CrmApi RepB, string OrgUnitId, string PoolId)
{
    public static async Task<TestWorld> CreateAsync(ServerProcess server, PoolRules? rules = null)
    {
        var anonymous = server.Api();
        var admin = await anonymous.LoginAsAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var unit = (await admin.CreateOrgUnitAsync($"Team {tag}")).EnsureStatus(HttpStatusCode.Created).Value!;
        (await admin.CreateUserAsync($"mgr-{tag}", Role.Manager, unit.Id)).EnsureStatus(HttpStatusCode.Created);
        (await admin.CreateUserAsync($"repa-{tag}", Role.Rep, unit.Id)).EnsureStatus(HttpStatusCode.Created);
        (await admin.CreateUserAsync($"repb-{tag}", Role.Rep, unit.Id)).EnsureStatus(HttpStatusCode.Created);
        var pool = (await admin.CreatePoolAsync($"Pool {tag}", unit.Id, rules)).EnsureStatus(HttpStatusCode.Created).Value!;
        return new TestWorld(
            admin,
            await anonymous.LoginAsync($"mgr-{tag}", "rep-Passw0rd!"),
            await anonymous.LoginAsync($"repa-{tag}", "rep-Passw0rd!"),
            await anonymous.LoginAsync($"repb-{tag}", "rep-Passw0rd!"),
            unit.Id,
            pool.Id);
    }

    public async Task<CustomerDto> NewLeadAsync(string name = "Li Wei", string? company = "Shanghai Acme Trading Co., Ltd.", string? phone = "+86 138 0013 8000") =>
        (await Admin.CreateCustomerAsync(new CreateCustomerRequest(name, company, phone, PoolId: PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
}
