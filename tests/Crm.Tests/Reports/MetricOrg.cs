using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Server.Org;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Reports;

/// <summary>
/// A three-level org on the test cluster: a company unit, an eastern division on Asia/Shanghai (with a make-up working
/// Saturday) and a western one on Europe/Moscow, each with a team of two reps (real users) and a pool in the team.
/// </summary>
internal sealed record MetricOrg(string CompanyId, string EastId, string WestId, string EastTeamId, string WestTeamId,
    IReadOnlyList<string> EastReps, IReadOnlyList<string> WestReps, string EastPool, string WestPool)
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static readonly Actor Admin = new("admin", UserRole.Admin, null);

    public IEnumerable<string> Reps => EastReps.Concat(WestReps);

    public TimeZoneInfo ZoneOf(string rep) => EastReps.Contains(rep) ? Shanghai : Moscow;

    public string PoolOf(string rep) => EastReps.Contains(rep) ? EastPool : WestPool;

    public string TeamOf(string rep) => EastReps.Contains(rep) ? EastTeamId : WestTeamId;

    public static Actor Rep(string id, string unit) => new(id, UserRole.Rep, unit);

    public static async Task<MetricOrg> CreateAsync(ClusterFixture fixture, DateOnly makeUpSaturday)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var notifier = new OrgTreeNotifier(new OrgTreeCache(fixture.Database, NullLogger<OrgTreeCache>.Instance));
        var units = new OrgUnitDirectory(fixture.Database, TimeProvider.System, notifier);
        var users = new UserDirectory(fixture.Database, TimeProvider.System, notifier);
        async Task<string> Unit(string name, string? parent) => (await units.CreateAsync($"{name} {tag}", parent)).Value!.Id;
        async Task<string> User(string name, string unit) =>
            (await users.CreateAsync($"{name}-{tag}", "rep-Passw0rd!", name, UserRole.Rep, unit)).Value!.Id;

        var company = await Unit("Company", null);
        var east = await Unit("East", company);
        var west = await Unit("West", company);
        var eastTeam = await Unit("East team", east);
        var westTeam = await Unit("West team", west);
        var eastReps = new[] { await User("east-a", eastTeam), await User("east-b", eastTeam) };
        var westReps = new[] { await User("west-a", westTeam), await User("west-b", westTeam) };
        await fixture.Grains.GetGrain<IOrgTreeGrain>(0).Reload();

        var calendars = fixture.Service<CalendarDirectory>();
        await calendars.SetAsync(east, new CalendarDefinition("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday], [],
            [makeUpSaturday], new TimeOnly(9, 0)));
        await calendars.SetAsync(west, new CalendarDefinition("Europe/Moscow", [DayOfWeek.Saturday, DayOfWeek.Sunday], [], [], new TimeOnly(9, 0)));

        async Task<string> Pool(string unit)
        {
            var id = Guid.NewGuid().ToString("N")[..12];
            var created = await fixture.Grains.GetGrain<IPoolGrain>(id).Create("Pool " + id, unit, new PoolRuleSet());
            Assert.True(created.Ok, created.Error?.Message);
            return id;
        }

        return new MetricOrg(company, east, west, eastTeam, westTeam, eastReps, westReps, await Pool(eastTeam), await Pool(westTeam));
    }
}
