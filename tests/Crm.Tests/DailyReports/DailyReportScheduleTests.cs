using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.DailyReports;
using Crm.Grains.Notifications;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Tests.Infrastructure;
using Crm.Tests.Pools;
using Dapper;

namespace Crm.Tests.DailyReports;

/// <summary>
/// Daily reports made on schedule under the fake clock: a unit on Shanghai time (report time the default 18:00; a
/// weekend, then a holiday) and one on Moscow time (20:30; the same weekend, no holiday). Each unit's reports come at
/// its own local time, on its working days only, once each (a second run, a second generation at once); the rep and
/// the Shanghai manager are told; the traffic light of the rep's customers follows their pools' limits as days pass.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DailyReportScheduleTests(ClusterFixture fixture)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task Each_unit_reports_at_its_own_local_time_on_its_working_days_once()
    {
        // The week is laid out from the shared clock's day, whatever weekday it is: days 3 and 4 are the weekend of both
        // units, day 5 a holiday in Shanghai only.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fixture.Clock.GetUtcNow(), Shanghai).DateTime);
        var weekend = new[] { today.AddDays(3).DayOfWeek, today.AddDays(4).DayOfWeek };
        var holiday = today.AddDays(5);
        var (sh, shRep, shManager) = await UnitAsync(new CalendarDefinition("Asia/Shanghai", weekend, [holiday], [], new TimeOnly(9, 0)));
        var (msk, mskRep, _) = await UnitAsync(new CalendarDefinition("Europe/Moscow", weekend, [], [], new TimeOnly(9, 0)));
        await fixture.Service<DailyReportSettings>().SetAsync(msk, new TimeOnly(20, 30));

        // Seven days, so that Anna is still the rep's on the last report (day 6, 23:00 in Shanghai) whatever the clock's
        // time of day: with six, her recycle fell due before that report at some hours and raced with it.
        var tight = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet { RecycleAfterDaysWithoutFollowUp = 7 });
        var loose = await PoolWorld.CreateAsync(fixture.Grains, new PoolRuleSet());
        var claimedAt = fixture.Clock.GetUtcNow();
        var anna = (await tight.ClaimedByAsync(shRep, "Anna Ivanova")).GetPrimaryKey();
        var boris = (await loose.ClaimedByAsync(shRep, "Boris Petrov")).GetPrimaryKey();

        // Day 1: nothing a minute before each unit's time, the report at it; Moscow's 20:30 is Shanghai's next morning.
        // (The silo's own sweep also knocks as the clock moves, so the test reads what is stored, not who stored it.)
        var day1 = today.AddDays(1);
        await RunAtAsync(sh, Shanghai, day1, 17, 59);
        Assert.Empty(await ReportDaysAsync(shRep));
        await RunAtAsync(sh, Shanghai, day1, 18, 0);
        Assert.Equal([day1], await ReportDaysAsync(shRep));
        await RunAtAsync(msk, Moscow, day1, 20, 29);
        Assert.Empty(await ReportDaysAsync(mskRep));
        await RunAtAsync(msk, Moscow, day1, 20, 30);
        Assert.Equal([day1], await ReportDaysAsync(mskRep));
        Assert.Null((await fixture.Grains.GetGrain<IDailyReportGrain>(sh).Run()).Day);

        // Two generations at once (two silos) of a day no sweep makes any more: one report, one of them stored it.
        var generator = fixture.Service<DailyReportGenerator>();
        var both = await Task.WhenAll(generator.GenerateAsync(shRep, today), generator.GenerateAsync(shRep, today));
        Assert.Equal(1, both.Count(b => b.Made));
        Assert.Equal(both[0].Report.Id, both[1].Report.Id);
        Assert.False((await generator.GenerateAsync(shRep, today)).Made);

        // Days 2 to 6, late each local evening: reports on working days only, the test's own count of them.
        for (var d = 2; d <= 6; d++)
        {
            await RunAtAsync(sh, Shanghai, today.AddDays(d), 23, 0);
            await RunAtAsync(msk, Moscow, today.AddDays(d), 23, 0);
        }

        bool Works(DateOnly day, bool hasHoliday) => !weekend.Contains(day.DayOfWeek) && !(hasHoliday && day == holiday);
        var days = Enumerable.Range(1, 6).Select(today.AddDays).ToList();
        Assert.Equal(days.Where(d => Works(d, true)).Prepend(today), await ReportDaysAsync(shRep));
        Assert.Equal(days.Where(d => Works(d, false)), await ReportDaysAsync(mskRep));
        Assert.DoesNotContain(holiday, await ReportDaysAsync(shRep));
        Assert.Contains(holiday, await ReportDaysAsync(mskRep));

        // Told once per report: the rep, and the manager of its unit.
        var store = new NotificationStore(fixture.Database);
        var shReady = (await store.AfterAsync(shRep, 0, 100)).Where(n => n.EventType == nameof(DailyReportReady)).ToList();
        Assert.Equal(days.Count(d => Works(d, true)) + 1, shReady.Count);
        Assert.Equal(shReady.Count, (await store.AfterAsync(shManager, 0, 100)).Count(n => n.EventType == nameof(DailyReportReady)));

        // The lights of the last report, from the test's own reading of the pools' limits: 7 days without a follow-up
        // in the tight pool (red from 7 - 2 days on, yellow from half), the default 14 in the loose one.
        var last = (await fixture.Service<DailyReportStore>().GetAsync(DailyReportStore.IdOf(shRep, today.AddDays(6))))!;
        var age = (int)Math.Floor((last.Figures.AsOf - claimedAt).TotalDays);
        string Expected(int limit) => age >= limit - 2 ? "red" : age * 2 >= limit ? "yellow" : "green";
        var lights = last.Figures.Customers.ToDictionary(c => c.CustomerId);
        Assert.Equal((Expected(7), age), (lights[anna].Light, lights[anna].DaysSinceContact));
        Assert.Equal(Expected(14), lights[boris].Light);
        Assert.Contains("7 days", lights[anna].Reason);
    }

    private async Task<DailyReportRun> RunAtAsync(string unit, TimeZoneInfo zone, DateOnly day, int hour, int minute)
    {
        await AdvanceToAsync(zone, day, hour, minute);
        return await fixture.Grains.GetGrain<IDailyReportGrain>(unit).Run();
    }

    private Task AdvanceToAsync(TimeZoneInfo zone, DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        var at = new DateTimeOffset(local, zone.GetUtcOffset(local));
        Assert.True(at >= fixture.Clock.GetUtcNow(), "the test moves the clock forward only");
        fixture.Clock.Advance(at - fixture.Clock.GetUtcNow());
        return Task.CompletedTask;
    }

    private async Task<List<DateOnly>> ReportDaysAsync(string rep)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT day FROM daily_reports WHERE rep_id = @rep ORDER BY day", new { rep }))
            .Select(d => DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private async Task<(string Unit, string Rep, string Manager)> UnitAsync(CalendarDefinition calendar)
    {
        var unit = "unit-" + Guid.NewGuid().ToString("N")[..8];
        var rep = PoolWorld.NewRepId();
        var manager = "mgr-" + Guid.NewGuid().ToString("N")[..10];
        await using (var connection = await fixture.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@unit, @unit, NULL, @path, 0)",
                new { unit, path = $"/{unit}/" });
            foreach (var (id, role) in new[] { (rep, "rep"), (manager, "manager") })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
                    VALUES (@id, @id, @id, 'x', @id, @role, @unit, 0)
                    """, new { id, role, unit });
            }
        }

        await fixture.Service<OrgTreeCache>().ReloadAsync();
        await fixture.Service<CalendarDirectory>().SetAsync(unit, calendar);
        return (unit, rep, manager);
    }
}
