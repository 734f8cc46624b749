using System.Net;
using Crm.Client;
using Crm.Tests.Contracts;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports;

/// <summary>
/// A three-level org on a running server: Company → East (Asia/Shanghai; 2025-11-03 and -04 holidays, Saturday
/// 2025-11-08 a make-up working day) → East team, and Company → West (Europe/Moscow, plain weekends) → West team.
/// Rep eastA is in the East team, rep eastB directly in East (so East splits into its team and eastB), westA in the
/// West team; a manager of East. Units are fresh per world; the company is the whole server.
/// </summary>
internal sealed record TargetsWorld(CrmApi Admin, CrmApi EastManager, CrmApi EastA, CrmApi EastB, CrmApi WestA,
    string CompanyId, string EastId, string EastTeamId, string WestId, string WestTeamId, string EastPool, string WestPool)
{
    public static readonly DateOnly[] EastHolidays = [new(2025, 11, 3), new(2025, 11, 4)];
    public static readonly DateOnly[] EastMakeUpDays = [new(2025, 11, 8)];

    public static async Task<TargetsWorld> CreateAsync(ServerProcess server)
    {
        var admin = await server.Api().LoginAsAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        async Task<string> Unit(string name, string? parent) =>
            (await admin.CreateOrgUnitAsync($"{name} {tag}", parent)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        async Task<CrmApi> User(string name, Role role, string unit)
        {
            (await admin.CreateUserAsync($"{name}-{tag}", role, unit)).EnsureStatus(HttpStatusCode.Created);
            return await server.Api().LoginAsync($"{name}-{tag}", "rep-Passw0rd!");
        }

        var company = await Unit("Company", null);
        var east = await Unit("East", company);
        var eastTeam = await Unit("East team", east);
        var west = await Unit("West", company);
        var westTeam = await Unit("West team", west);
        (await admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{east}/calendar",
            new WorkCalendarRequest("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday], EastHolidays, EastMakeUpDays))).EnsureStatus(HttpStatusCode.OK);
        (await admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{west}/calendar",
            new WorkCalendarRequest("Europe/Moscow", [DayOfWeek.Saturday, DayOfWeek.Sunday]))).EnsureStatus(HttpStatusCode.OK);
        var eastPool = (await admin.CreatePoolAsync($"East pool {tag}", east)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var westPool = (await admin.CreatePoolAsync($"West pool {tag}", west)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        return new TargetsWorld(admin, await User("east-mgr", Role.Manager, east), await User("east-a", Role.Rep, eastTeam),
            await User("east-b", Role.Rep, east), await User("west-a", Role.Rep, westTeam), company, east, eastTeam, west, westTeam, eastPool, westPool);
    }

    public static TimeZoneInfo ZoneOf(string unitOrRepPool) => unitOrRepPool == "west"
        ? TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")
        : TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>A customer owned by the rep, in its division's pool.</summary>
    public async Task<CustomerDto> CustomerOfAsync(CrmApi rep, string name = "Lin Hua") =>
        (await Admin.CreateCustomerAsync(new CreateCustomerRequest($"{name} {Guid.NewGuid():N}"[..24], "Ningbo Haida Co., Ltd.",
            PoolId: rep == WestA ? WestPool : EastPool, OwnerId: rep.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;

    /// <summary>A contract of the rep (won today, signed long ago) in a currency, to record payments on.</summary>
    public async Task<string> ContractOfAsync(CrmApi rep, string currency, decimal amount = 1_000_000m, string name = "Contract")
    {
        var customer = await CustomerOfAsync(rep, name);
        var deal = (await rep.OpenDealAsync(customer.Id, DealKit.Deal(amount, currency))).EnsureStatus(HttpStatusCode.Created).Value!;
        (await rep.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
        return (await rep.SignAsync(deal.Id, ContractKit.Contract(amount, [new(new DateOnly(2049, 1, 1), amount)]))).EnsureStatus(HttpStatusCode.Created).Value!.Id;
    }
}
