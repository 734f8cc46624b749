using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Calendars;

/// <summary>Calendars on org units over HTTP: set by an admin, inherited below, read by the unit's people, bad input refused.</summary>
public abstract class CalendarApiTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task A_unit_follows_the_calendar_set_above_it_until_it_has_its_own()
    {
        var world = await TestWorld.CreateAsync(Server);
        var region = (await world.Admin.CreateOrgUnitAsync($"Region {Guid.NewGuid():N}")).Value!;
        var team = (await world.Admin.CreateOrgUnitAsync($"Team {Guid.NewGuid():N}", region.Id)).Value!;

        var set = await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{region.Id}/calendar",
            new WorkCalendarRequest("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday], [new DateOnly(2026, 10, 1)], [new DateOnly(2026, 10, 10)], "08:30"));
        set.EnsureStatus(HttpStatusCode.OK);

        var inherited = (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Get, $"/api/org-units/{team.Id}/calendar")).Value!;
        Assert.Equal((region.Id, "Asia/Shanghai", "08:30"), (inherited.SetOnOrgUnitId, inherited.TimeZone, inherited.MorningAt));

        var days = (await world.Admin.SendAsync<List<CalendarDayDto>>(HttpMethod.Get, $"/api/org-units/{team.Id}/calendar/days?from=2026-10-01&days=10")).Value!;
        Assert.Equal([false, true, false, false, true, true, true, true, true, true], days.Select(d => d.Working));
        Assert.Equal(new DateTimeOffset(2026, 10, 2, 0, 30, 0, TimeSpan.Zero), days[1].MorningAt);

        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{team.Id}/calendar",
            new WorkCalendarRequest("Europe/Moscow"))).EnsureStatus(HttpStatusCode.OK);
        var own = (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Get, $"/api/org-units/{team.Id}/calendar")).Value!;
        Assert.Equal((team.Id, "Europe/Moscow", "09:00"), (own.SetOnOrgUnitId, own.TimeZone, own.MorningAt));
        Assert.Equivalent(new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }, own.Weekend, strict: true); // a zone alone keeps the usual days off

        var sevenDays = (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{team.Id}/calendar",
            new WorkCalendarRequest("Europe/Moscow", Weekend: []))).Value!;
        Assert.Empty(sevenDays.Weekend); // a shop open every day says so

        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Delete, $"/api/org-units/{team.Id}/calendar")).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(region.Id, (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Get, $"/api/org-units/{team.Id}/calendar")).Value!.SetOnOrgUnitId);
    }

    [Fact]
    public async Task Bad_calendars_are_a_400_naming_the_fields_and_only_admins_set_them()
    {
        var world = await TestWorld.CreateAsync(Server);
        var bad = await world.Admin.SendAsync<object>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar",
            new WorkCalendarRequest("Nowhere/Here", Holidays: [new DateOnly(2026, 1, 1)], Workdays: [new DateOnly(2026, 1, 1)], MorningAt: "25:99"));
        bad.EnsureStatus(HttpStatusCode.BadRequest);
        Assert.Equal(["morningAt", "timeZone", "workdays"], bad.ErrorFields.Order());

        var tooMany = await world.Admin.GetAsync($"/api/org-units/{world.OrgUnitId}/calendar/days?days=400");
        tooMany.EnsureStatus(HttpStatusCode.BadRequest);

        (await world.Manager.SendAsync<object>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar", new WorkCalendarRequest("UTC")))
            .EnsureStatus(HttpStatusCode.Forbidden);
        (await world.RepA.GetAsync($"/api/org-units/{world.OrgUnitId}/calendar")).EnsureStatus(HttpStatusCode.OK);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteCalendarApiTests(ServerFixture fixture) : CalendarApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresCalendarApiTests(PostgresServerFixture fixture) : CalendarApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
