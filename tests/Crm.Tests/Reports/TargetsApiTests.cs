using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports;

/// <summary>
/// Targets over HTTP on the real server: follow-ups logged late and payments (CNY, USD at its rate, a refund) in
/// November 2025 by reps in Shanghai and Moscow; targets set on units and reps; progress as of a day, whose values the
/// test adds up from what it sent (local days of each rep's zone) and whose expected-by-today it counts from the
/// calendars it set (holidays, a make-up Saturday); who sees what; splits even, by history and by hand; bad input.
/// </summary>
public abstract class TargetsApiTests
{
    private static readonly DateOnly November = new(2025, 11, 1);
    private static readonly DateOnly AsOf = new(2025, 11, 8);

    protected abstract ServerProcess Server { get; }

    private sealed record Sent(CrmApi Rep, DateTimeOffset At, decimal Value);

    [Fact]
    public async Task Progress_adds_up_what_the_reps_did_in_their_own_days_against_the_working_days_of_their_calendar()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var followUps = await FollowUpsAsync(world);
        var payments = await PaymentsAsync(world);

        (await world.EastManager.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("orgUnit", world.EastId, "2025-11", "followUps", 40m))).EnsureStatus(HttpStatusCode.OK);
        var again = (await world.EastManager.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("orgUnit", world.EastId, "2025-11", "followUps", 38m))).EnsureStatus(HttpStatusCode.OK).Value!;
        (await world.Admin.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("orgUnit", world.WestId, "2025-11", "paymentsReceived", 90_000.5m))).EnsureStatus(HttpStatusCode.OK);

        var east = await ProgressAsync(world.EastManager, $"scope=orgUnit&scopeId={world.EastId}&period=2025-11&at=2025-11-08");
        Assert.Equal(("Asia/Shanghai", AsOf, November, November.AddMonths(1)), (east.TimeZone, east.AsOf, east.From, east.To));
        var eastWorking = WorkingDays(TargetsWorld.EastHolidays, TargetsWorld.EastMakeUpDays);
        var f = east.Metrics.Single(m => m.Metric == "followUps");
        var done = Sum(followUps, [world.EastA, world.EastB], "east");
        Assert.Equal((done, 38m, again.Id, eastWorking.Total, eastWorking.UpTo8th), (f.Value, f.Target, f.TargetId, f.WorkingDays, f.WorkingDaysElapsed));
        Assert.Equal(Math.Round(38m * eastWorking.UpTo8th / eastWorking.Total, 2, MidpointRounding.AwayFromZero), f.ExpectedByToday);
        Assert.Equal(Math.Round(done / 38m, 4, MidpointRounding.AwayFromZero), f.Rate);
        Assert.Equal(Sum(payments, [world.EastA, world.EastB], "east"), east.Metrics.Single(m => m.Metric == "paymentsReceived").Value);

        var west = await ProgressAsync(world.Admin, $"scope=orgUnit&scopeId={world.WestId}&period=2025-11&at=2025-11-08");
        var westWorking = WorkingDays([], []);
        var p = west.Metrics.Single(m => m.Metric == "paymentsReceived");
        Assert.Equal(("Europe/Moscow", Sum(payments, [world.WestA], "west"), 90_000.5m, "CNY", westWorking.Total, westWorking.UpTo8th),
            (west.TimeZone, p.Value, p.Target, p.Currency, p.WorkingDays, p.WorkingDaysElapsed));
        Assert.Equal(Sum(followUps, [world.WestA], "west"), west.Metrics.Single(m => m.Metric == "followUps").Value);
        Assert.Empty(p.MissingRates);

        // A rep sees itself, the same figures; nothing else.
        var mine = await ProgressAsync(world.EastA, $"scope=rep&scopeId={world.EastA.UserId}&period=2025-11&at=2025-11-08");
        Assert.Equal(Sum(followUps, [world.EastA], "east"), mine.Metrics.Single(m => m.Metric == "followUps").Value);
        Assert.Null(mine.Metrics.Single(m => m.Metric == "followUps").Target);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.SendAsync<TargetProgressReport>(HttpMethod.Get,
            $"/api/targets/progress?scope=rep&scopeId={world.EastB.UserId}&period=2025-11")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.SendAsync<TargetProgressReport>(HttpMethod.Get,
            $"/api/targets/progress?scope=orgUnit&scopeId={world.EastTeamId}&period=2025-11")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<TargetProgressReport>(HttpMethod.Get,
            $"/api/targets/progress?scope=orgUnit&scopeId={world.WestId}&period=2025-11")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastManager.SendAsync<TargetProgressReport>(HttpMethod.Get,
            "/api/targets/progress?scope=company&period=2025-11")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("rep", world.EastA.UserId, "2025-11", "followUps", 99m))).Status);
        var listed = (await world.EastManager.SendAsync<List<TargetDto>>(HttpMethod.Get, "/api/targets?period=2025-11")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Contains(listed, t => t.Id == again.Id);
        Assert.DoesNotContain(listed, t => t.ScopeId == world.WestId);
    }

    [Fact]
    public async Task A_target_splits_down_the_tree_evenly_by_last_periods_results_or_by_hand()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var followUps = await FollowUpsAsync(world);
        var target = (await world.EastManager.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("orgUnit", world.EastId, "2025-12", "followUps", 101m))).EnsureStatus(HttpStatusCode.OK).Value!;

        var even = (await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{target.Id}/split",
            new TargetSplitRequest("even"))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([("orgUnit", world.EastTeamId, 51m), ("rep", world.EastB.UserId, 50m)], even.Targets.Select(t => (t.Scope, t.ScopeId!, t.Value)));
        Assert.All(even.Targets, t => Assert.Equal((target.Id, "2025-12", "followUps"), (t.ParentId!, t.Period, t.Metric)));

        // By history: in proportion to each one's follow-ups over November, whole numbers adding up to the target.
        var history = (await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{target.Id}/split",
            new TargetSplitRequest("history"))).EnsureStatus(HttpStatusCode.OK).Value!;
        var team = Sum(followUps, [world.EastA], "east", new DateOnly(2025, 11, 30));
        var b = Sum(followUps, [world.EastB], "east", new DateOnly(2025, 11, 30));
        var parts = history.Targets.Select(t => t.Value).ToList();
        Assert.Equal(101m, parts.Sum());
        Assert.InRange(parts[0], Math.Floor(101m * team / (team + b)), Math.Ceiling(101m * team / (team + b)));
        Assert.All(parts, v => Assert.Equal(Math.Round(v), v));
        var listed = (await world.EastManager.SendAsync<List<TargetDto>>(HttpMethod.Get, $"/api/targets?period=2025-12&scope=rep&scopeId={world.EastB.UserId}")).Value!;
        Assert.Equal(parts[1], Assert.Single(listed).Value);

        var bad = await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{target.Id}/split",
            new TargetSplitRequest("manual", [new(world.EastTeamId, 60m), new(world.EastB.UserId, 40m)]));
        Assert.Equal((HttpStatusCode.BadRequest, "shares"), (bad.Status, string.Join(",", bad.ErrorFields)));
        var missing = await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{target.Id}/split",
            new TargetSplitRequest("manual", [new(world.EastTeamId, 101m), new(world.WestId, 0m)]));
        Assert.Contains("shares[1].scopeId", missing.ErrorFields);
        var manual = (await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{target.Id}/split",
            new TargetSplitRequest("manual", [new(world.EastB.UserId, 1m), new(world.EastTeamId, 100m)]))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([100m, 1m], manual.Targets.Select(t => t.Value));

        var repTarget = manual.Targets.Single(t => t.Scope == "rep");
        var nothing = await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{repTarget.Id}/split", new TargetSplitRequest("even"));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.NothingBelow), (nothing.Status, nothing.Code));
        var west = (await world.Admin.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("orgUnit", world.WestId, "2025-12", "followUps", 5m))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<TargetSplitDto>(HttpMethod.Post, $"/api/targets/{west.Id}/split",
            new TargetSplitRequest("even"))).Status);
    }

    [Fact]
    public async Task Progress_so_far_counts_what_a_rep_ahead_of_the_units_calendar_did_today()
    {
        // The unit's calendar (Pago Pago, UTC-11) is 25 hours behind its team's (Kiritimati, UTC+14): whenever the test runs,
        // the rep's today is a later date than the unit's. The unit's progress "so far" must still count the rep's follow-up.
        var admin = await Server.Api().LoginAsAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var unit = (await admin.CreateOrgUnitAsync($"Behind {tag}", null)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var team = (await admin.CreateOrgUnitAsync($"Ahead {tag}", unit)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        foreach (var (id, zone) in new[] { (unit, "Pacific/Pago_Pago"), (team, "Pacific/Kiritimati") })
        {
            (await admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{id}/calendar", new WorkCalendarRequest(zone))).EnsureStatus(HttpStatusCode.OK);
        }

        (await admin.CreateUserAsync($"behind-mgr-{tag}", Role.Manager, unit)).EnsureStatus(HttpStatusCode.Created);
        (await admin.CreateUserAsync($"ahead-rep-{tag}", Role.Rep, team)).EnsureStatus(HttpStatusCode.Created);
        var manager = await Server.Api().LoginAsync($"behind-mgr-{tag}", "rep-Passw0rd!");
        var rep = await Server.Api().LoginAsync($"ahead-rep-{tag}", "rep-Passw0rd!");
        var pool = (await admin.CreatePoolAsync($"Behind pool {tag}", unit)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var customer = (await admin.CreateCustomerAsync(new CreateCustomerRequest($"Ahead {tag}", "Tarawa Supplies", PoolId: pool, OwnerId: rep.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var logged = (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
            new FollowUpRequest(FollowUpType.Call, "reached"))).EnsureStatus(HttpStatusCode.Created).Value!;

        // The rep's day of the follow-up, by the server's time of it.
        var repDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(logged.At, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati")).DateTime);
        var period = repDay.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var progress = await ProgressAsync(manager, $"scope=orgUnit&scopeId={unit}&period={period}&metric=followUps");
        Assert.Equal((repDay, 1m), (progress.AsOf, Assert.Single(progress.Metrics).Value));
        var dated = await ProgressAsync(manager, $"scope=orgUnit&scopeId={unit}&period={period}&metric=followUps&at={repDay:yyyy-MM-dd}");
        Assert.Equal(1m, Assert.Single(dated.Metrics).Value);
    }

    [Theory]
    [InlineData("2025-13", "followUps", "10", "period")]
    [InlineData("2025-W54", "followUps", "10", "period")]
    [InlineData("2025-Q5", "followUps", "10", "period")]
    [InlineData("2025-11-02", "followUps", "10", "period")]
    [InlineData("1999", "followUps", "10", "period")]
    [InlineData("2025-11", "calls", "10", "metric")]
    [InlineData("2025-11", "followUps", "10.5", "value")]
    [InlineData("2025-11", "wonAmount", "10.555", "value")]
    [InlineData("2025-11", "wonAmount", "-1", "value")]
    public async Task A_target_that_makes_no_sense_is_refused_naming_the_field(string period, string metric, string value, string field)
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var refused = await admin.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
            new TargetRequest("company", null, period, metric, decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((HttpStatusCode.BadRequest, field), (refused.Status, string.Join(",", refused.ErrorFields)));
        var progress = await admin.SendAsync<TargetProgressReport>(HttpMethod.Get, "/api/targets/progress?scope=team&period=2025-W53");
        Assert.Equal((HttpStatusCode.BadRequest, "period,scope"), (progress.Status, string.Join(",", progress.ErrorFields.Order())));
    }

    private static async Task<TargetProgressReport> ProgressAsync(CrmApi api, string query) =>
        (await api.SendAsync<TargetProgressReport>(HttpMethod.Get, $"/api/targets/progress?{query}")).EnsureStatus(HttpStatusCode.OK).Value!;

    /// <summary>Follow-ups logged late, every 13 to 23 hours from 2025-10-30 to 2025-12-01 (UTC), so they fall either side of local midnights.</summary>
    private static async Task<List<Sent>> FollowUpsAsync(TargetsWorld world)
    {
        var sent = new List<Sent>();
        foreach (var (rep, step) in new[] { (world.EastA, 13), (world.EastB, 19), (world.WestA, 23) })
        {
            var customer = await world.CustomerOfAsync(rep);
            for (var at = new DateTimeOffset(2025, 10, 30, 1, 0, 0, TimeSpan.Zero); at < new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero); at = at.AddHours(step))
            {
                (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
                    new FollowUpRequest(FollowUpType.Call, "reached", At: at))).EnsureStatus(HttpStatusCode.Created);
                sent.Add(new Sent(rep, at, 1));
            }
        }

        return sent;
    }

    /// <summary>Payments in CNY and USD (at 7.1 from 2025-10-20, the test's own dates) and a refund, around the start of November.</summary>
    private static async Task<List<Sent>> PaymentsAsync(TargetsWorld world)
    {
        (await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates",
            new CurrencyRatesRequest([new("USD", new DateOnly(2025, 10, 20), 7.1m)]))).EnsureStatus(HttpStatusCode.OK);
        var sent = new List<Sent>();
        foreach (var (rep, currency, rate) in new[] { (world.EastA, "CNY", 1m), (world.EastB, "USD", 7.1m), (world.WestA, "CNY", 1m), (world.WestA, "USD", 7.1m) })
        {
            var contract = await world.ContractOfAsync(rep, currency);
            foreach (var (at, amount) in new[] { (new DateTimeOffset(2025, 10, 31, 20, 30, 0, TimeSpan.Zero), 1000m), (new DateTimeOffset(2025, 11, 2, 3, 0, 0, TimeSpan.Zero), 2500.25m),
                         (new DateTimeOffset(2025, 11, 8, 19, 0, 0, TimeSpan.Zero), 700m), (new DateTimeOffset(2025, 11, 5, 9, 0, 0, TimeSpan.Zero), -300m) })
            {
                (await rep.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract}/payments",
                    new PaymentRequest(amount, at, "bank-transfer", null, amount < 0 ? "returned goods" : null))).EnsureStatus(HttpStatusCode.Created);
                sent.Add(new Sent(rep, at, Math.Round(amount * rate, 2)));
            }
        }

        return sent;
    }

    private static decimal Sum(List<Sent> sent, CrmApi[] reps, string zone, DateOnly? upTo = null) => sent
        .Where(s => reps.Contains(s.Rep))
        .Where(s => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(s.At, TargetsWorld.ZoneOf(zone)).DateTime) is var day && day >= November && day <= (upTo ?? AsOf))
        .Sum(s => s.Value);

    /// <summary>The test's own count of November 2025's working days, all and up to the 8th: weekdays, less holidays, plus make-up days.</summary>
    private static (int Total, int UpTo8th) WorkingDays(DateOnly[] holidays, DateOnly[] makeUp)
    {
        bool Works(DateOnly d) => makeUp.Contains(d) || (!holidays.Contains(d) && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var days = Enumerable.Range(0, 30).Select(i => November.AddDays(i)).ToList();
        return (days.Count(Works), days.Where(d => d <= AsOf).Count(Works));
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteTargetsApiTests(ServerFixture fixture) : TargetsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresTargetsApiTests(PostgresServerFixture fixture) : TargetsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
