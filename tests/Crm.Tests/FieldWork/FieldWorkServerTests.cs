using System.Net;
using Crm.Client;
using Crm.Grains.Visits;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.FieldWork;

/// <summary>
/// Locations, "near me" and visits on the real server, run on both databases (the spatial index is an R*Tree on
/// SQLite and a PostGIS GiST index on PostgreSQL).
/// </summary>
public abstract class FieldWorkServerTests
{
    protected abstract ServerProcess Server { get; }

    [Fact]
    public async Task Near_me_lists_the_visible_customers_within_the_radius_nearest_first()
    {
        var world = await TestWorld.CreateAsync(Server);
        var here = FieldWorld.RandomCenter();
        var mine = await world.OwnedAsync(world.RepA, "Near 100 m");
        var lead = await world.NewLeadAsync("Near 400 m", company: null, phone: null);
        var theirs = await world.OwnedAsync(world.RepB, "Near 900 m");
        var far = await world.NewLeadAsync("Near 3 km", company: null, phone: null);
        await world.RepA.SetLocationAsync(mine.Id, here.North(100));
        await world.Admin.SetLocationAsync(lead.Id, here.East(400));
        await world.RepB.SetLocationAsync(theirs.Id, here.North(-900));
        await world.Manager.SetLocationAsync(far.Id, here.East(-3000));

        var forRep = (await world.RepA.NearbyAsync(here, 1000)).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([mine.Id, lead.Id], forRep.Items.Select(c => c.Id));
        Assert.Equal(2, forRep.Total);
        Assert.InRange(forRep.Items[0].DistanceMeters, 99, 101);
        Assert.InRange(forRep.Items[1].DistanceMeters, 399, 401);

        Assert.Equal([mine.Id], (await world.RepA.NearbyAsync(here, 1000, "mine")).Value!.Items.Select(c => c.Id));
        Assert.Equal([lead.Id], (await world.RepA.NearbyAsync(here, 1000, "public")).Value!.Items.Select(c => c.Id));
        Assert.Equal([mine.Id, lead.Id, theirs.Id], (await world.Manager.NearbyAsync(here, 1000)).Value!.Items.Select(c => c.Id));
        Assert.Equal([mine.Id, theirs.Id], (await world.Manager.NearbyAsync(here, 1000, "team")).Value!.Items.Select(c => c.Id));
        Assert.Equal([mine.Id, lead.Id, theirs.Id, far.Id], (await world.Admin.NearbyAsync(here, 5000)).Value!.Items.Select(c => c.Id));
        Assert.Empty((await world.RepA.NearbyAsync(here, 50)).Value!.Items);
    }

    [Fact]
    public async Task A_moved_customer_is_found_where_it_is_now_and_not_where_it_was()
    {
        var world = await TestWorld.CreateAsync(Server);
        var here = FieldWorld.RandomCenter();
        var customer = await world.OwnedAsync(world.RepA, "Moved");
        await world.RepA.SetLocationAsync(customer.Id, here);
        await world.RepA.SetLocationAsync(customer.Id, here.East(5000));

        Assert.Empty((await world.RepA.NearbyAsync(here, 1000)).Value!.Items);
        Assert.Equal([customer.Id], (await world.RepA.NearbyAsync(here.East(5000), 1000)).Value!.Items.Select(c => c.Id));
        var location = (await world.RepA.SendAsync<CustomerLocationDto>(HttpMethod.Get, $"/api/customers/{customer.Id}/location")).Value!;
        Assert.Equal(("manual", 15.0), (location.Source, location.Accuracy));
    }

    [Fact]
    public async Task A_visit_is_checked_in_with_consent_in_working_hours_measured_flagged_and_checked_out()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customerAt = FieldWorld.RandomCenter();
        var customer = await world.OwnedAsync(world.RepA, "Visited");
        await world.RepA.SetLocationAsync(customer.Id, customerAt);
        var morning = FieldWorld.WorkingMorning();

        var noConsent = await world.RepA.CheckInAsync(customer.Id, customerAt.North(50), morning);
        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.NoLocationConsent), (noConsent.Status, noConsent.Code));

        await world.RepA.ConsentAsync("phone-1");
        var atNight = await world.RepA.CheckInAsync(customer.Id, customerAt.North(50), FieldWorld.Night());
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.OutsideWorkingHours), (atNight.Status, atNight.Code));

        var visit = (await world.RepA.CheckInAsync(customer.Id, customerAt.North(50), morning)).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.InRange(visit.DistanceMeters!.Value, 49, 51);
        Assert.Empty(visit.Flags);
        Assert.Equal((world.RepA.UserId, "phone-1", morning), (visit.RepId, visit.DeviceId, visit.CheckedInAt));
        Assert.Equal(morning, (await world.RepA.GetCustomerAsync(customer.Id)).Value!.LastFollowUpAt);

        var ended = (await world.RepA.CheckOutAsync(visit.Id, morning.AddMinutes(3))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(3.0, ended.DurationMinutes!.Value, 3);
        Assert.Equal([VisitFlags.TooShort], ended.CheckOutFlags);
        Assert.Equal(ErrorCodes.VisitClosed, (await world.RepA.CheckOutAsync(visit.Id, morning.AddMinutes(4))).Code);

        var fromTheCorner = (await world.RepA.CheckInAsync(customer.Id, customerAt.East(2000), morning.AddHours(1))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal([VisitFlags.Far], fromTheCorner.Flags);
        Assert.Equal([fromTheCorner.Id, visit.Id],
            (await world.Manager.SendAsync<List<VisitDto>>(HttpMethod.Get, $"/api/customers/{customer.Id}/visits")).Value!.Select(v => v.Id));

        var timeline = (await world.RepA.TimelineAsync(customer.Id)).Value!;
        var checkedIn = timeline.Where(e => e.Kind == "visit").ToList();
        Assert.Equal(2, checkedIn.Count);
        Assert.All(checkedIn, e => Assert.Equal("visit", e.Data["type"]));
        Assert.Contains(timeline, e => e.Kind == "visit-ended" && e.Data["flags"] == VisitFlags.TooShort);
    }

    [Fact]
    public async Task A_unit_that_allows_it_records_visits_outside_hours_with_a_flag()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customerAt = FieldWorld.RandomCenter();
        var customer = await world.OwnedAsync(world.RepA, "Night visit");
        await world.RepA.SetLocationAsync(customer.Id, customerAt);
        await world.RepA.ConsentAsync("phone-1");

        (await world.RepA.SendAsync<FieldWorkSettingsDto>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/field-work", new FieldWorkSettingsRequest(true)))
            .EnsureStatus(HttpStatusCode.Forbidden);
        (await world.Manager.SendAsync<FieldWorkSettingsDto>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/field-work", new FieldWorkSettingsRequest(true)))
            .EnsureStatus(HttpStatusCode.OK);
        Assert.True((await world.RepA.SendAsync<FieldWorkSettingsDto>(HttpMethod.Get, $"/api/org-units/{world.OrgUnitId}/field-work")).Value!.AllowOutsideHours);

        var visit = (await world.RepA.CheckInAsync(customer.Id, customerAt, FieldWorld.Night())).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Contains(VisitFlags.OutsideHours, visit.Flags);
    }

    [Fact]
    public async Task Working_hours_are_those_of_the_reps_unit_calendar_when_it_keeps_one()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customerAt = FieldWorld.RandomCenter();
        var customer = await world.OwnedAsync(world.RepA, "Shanghai office");
        await world.RepA.SetLocationAsync(customer.Id, customerAt);
        await world.RepA.ConsentAsync("phone-1");
        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{world.OrgUnitId}/calendar",
            new WorkCalendarRequest("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday]))).EnsureStatus(HttpStatusCode.OK);

        // A past weekday: 10:00 in Shanghai is 02:00 UTC (before the server's UTC hours), 21:00 there is 13:00 UTC (within).
        var shanghaiMorning = FieldWorld.WorkingMorning().AddHours(-8);
        var shanghaiNight = shanghaiMorning.AddHours(11);

        (await world.RepA.CheckInAsync(customer.Id, customerAt, shanghaiMorning)).EnsureStatus(HttpStatusCode.Created);
        var atNight = await world.RepA.CheckInAsync(customer.Id, customerAt, shanghaiNight);
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.OutsideWorkingHours), (atNight.Status, atNight.Code));
    }

    [Fact]
    public async Task Another_rep_cannot_check_in_at_a_customer_it_does_not_own_nor_see_its_visits_but_a_manager_may_check_out()
    {
        var world = await TestWorld.CreateAsync(Server);
        var customerAt = FieldWorld.RandomCenter();
        var customer = await world.OwnedAsync(world.RepA, "Not yours");
        await world.RepA.ConsentAsync("phone-a");
        await world.RepB.ConsentAsync("phone-b");
        var visit = (await world.RepA.CheckInAsync(customer.Id, customerAt, FieldWorld.WorkingMorning(), "phone-a")).EnsureStatus(HttpStatusCode.Created).Value!;

        Assert.Contains(VisitFlags.NoCustomerLocation, visit.Flags);
        Assert.Null(visit.DistanceMeters);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.CheckInAsync(customer.Id, customerAt, FieldWorld.WorkingMorning(), "phone-b")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.RepB.CheckOutAsync(visit.Id, FieldWorld.WorkingMorning().AddMinutes(30))).Status);
        (await world.Manager.CheckOutAsync(visit.Id, FieldWorld.WorkingMorning().AddMinutes(30))).EnsureStatus(HttpStatusCode.OK);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteFieldWorkServerTests(ServerFixture fixture) : FieldWorkServerTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresFieldWorkServerTests(PostgresServerFixture fixture) : FieldWorkServerTests
{
    protected override ServerProcess Server => fixture.Server;
}
