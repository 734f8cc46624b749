using System.Globalization;
using System.Net;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;
using MiniExcelLibs;

namespace Crm.Tests.Reports;

/// <summary>
/// Funnel and activity over HTTP on the real server. Deals are opened, moved (forward and back), attempted (declined with
/// reasons), won and lost by three reps along generated paths; follow-ups of every type are logged late over the last
/// three weeks (dated by the server's own clock, read from what it answered) with East's calendar holding a holiday and a
/// make-up Saturday in the range. The test computes each stage's entries, onward moves, wins, losses and reasons, each
/// rep's calls and visits per working day of its own calendar, and the many- against few-visits halves from what it sent.
/// </summary>
public abstract class ActivityReportsApiTests
{
    private static readonly string[] Stages = ["contact", "intent", "negotiation", "signing"];
    private static readonly string[] DeclineReasons = ["too expensive", "=HYPERLINK(\"http://x\")", "no budget this year"];

    protected abstract ServerProcess Server { get; }

    private sealed record Step(string Rep, string Stage, string Measure, string Detail);

    [Fact]
    public async Task The_funnel_counts_each_stage_and_each_rep_as_the_deal_steps_they_took_say()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var random = new Random(2002);
        var steps = new List<Step>();
        DateTimeOffset? serverNow = null;
        foreach (var rep in new[] { world.EastA, world.EastB, world.WestA })
        {
            for (var d = 0; d < 3 + random.Next(3); d++)
            {
                var customer = await world.CustomerOfAsync(rep);
                var deal = (await rep.OpenDealAsync(customer.Id, DealKit.Deal(stageKey: "contact"))).EnsureStatus(HttpStatusCode.Created).Value!;
                Assert.Equal("default", deal.PipelineId);
                serverNow ??= deal.CreatedAt;
                var at = 0;
                steps.Add(new Step(rep.UserId, Stages[at], "entered", ""));
                for (var move = random.Next(4); move > 0; move--)
                {
                    var to = Math.Clamp(at + (random.Next(4) == 0 ? -1 : 1), 0, Stages.Length - 1);
                    if (to == at)
                    {
                        continue;
                    }

                    (await rep.MoveAsync(deal.Id, Stages[to])).EnsureStatus(HttpStatusCode.OK);
                    steps.Add(new Step(rep.UserId, Stages[at], "moved", Stages[to]));
                    steps.Add(new Step(rep.UserId, Stages[to], "entered", ""));
                    at = to;
                    if (random.Next(2) == 0)
                    {
                        var reason = DeclineReasons[random.Next(DeclineReasons.Length)];
                        (await rep.AttemptAsync(deal.Id, AttemptKind.Offer, AttemptOutcome.Declined, reason)).EnsureStatus(HttpStatusCode.OK);
                        (await rep.AttemptAsync(deal.Id, AttemptKind.Call, AttemptOutcome.Accepted)).EnsureStatus(HttpStatusCode.OK);
                        steps.Add(new Step(rep.UserId, Stages[at], "declined", reason));
                    }
                }

                switch (random.Next(3))
                {
                    case 0:
                        (await rep.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
                        steps.Add(new Step(rep.UserId, Stages[at], "won", ""));
                        break;
                    case 1:
                        var reason = random.Next(2) == 0 ? "price" : "competitor";
                        (await rep.LoseAsync(deal.Id, reason)).EnsureStatus(HttpStatusCode.OK);
                        steps.Add(new Step(rep.UserId, Stages[at], "lost", reason));
                        break;
                }
            }
        }

        // Every step happened now on the server: a range of the days either side holds them in every zone.
        var today = DateOnly.FromDateTime(serverNow!.Value.UtcDateTime);
        var query = $"scopeId={world.CompanyId}&from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        var funnel = (await world.Admin.SendAsync<FunnelReportDto>(HttpMethod.Get, $"/api/reports/funnel?{query}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(ExpectedStages(steps), funnel.Stages.Select(Shape));
        Assert.Equal(new[] { world.EastA, world.EastB, world.WestA }.Select(r => r.UserId).Order(StringComparer.Ordinal), funnel.Reps.Select(r => r.RepId));
        foreach (var rep in funnel.Reps)
        {
            var mine = steps.Where(s => s.Rep == rep.RepId).ToList();
            var (won, lost) = (mine.Count(s => s.Measure == "won"), mine.Count(s => s.Measure == "lost"));
            Assert.Equal((won, lost, won + lost == 0 ? null : Math.Round((decimal)won / (won + lost), 4, MidpointRounding.AwayFromZero)),
                (rep.Won, rep.Lost, rep.WinRate));
            Assert.Equal(ExpectedStages(mine), rep.Stages.Select(Shape));
        }

        // A rep sees its own funnel only; a manager its subtree.
        var mineOnly = (await world.EastA.SendAsync<FunnelReportDto>(HttpMethod.Get, $"/api/reports/funnel?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("rep", world.EastA.UserId), (mineOnly.Scope, mineOnly.ScopeId));
        Assert.Equal(ExpectedStages(steps.Where(s => s.Rep == world.EastA.UserId).ToList()), mineOnly.Stages.Select(Shape));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.GetAsync($"/api/reports/funnel?scopeId={world.EastB.UserId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.GetAsync($"/api/reports/funnel?scopeId={world.WestId}")).Status);
        var east = (await world.EastManager.SendAsync<FunnelReportDto>(HttpMethod.Get, $"/api/reports/funnel?{query.Replace(world.CompanyId, world.EastId)}"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(ExpectedStages(steps.Where(s => s.Rep != world.WestA.UserId).ToList()), east.Stages.Select(Shape));

        // The export: a row per stage (all reps, then each rep), a declined reason that looks like a formula neutralised.
        var csv = (await world.EastManager.GetTextAsync($"/api/reports/funnel/export?format=csv&{query.Replace(world.CompanyId, world.EastId)}")).EnsureStatus(HttpStatusCode.OK).Body!;
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("repId,pipelineId,stageKey,entered,advanced,conversion,won,lost,loseReasons,declined,declineReasons", lines[0]);
        Assert.Equal(east.Stages.Count + east.Reps.Sum(r => r.Stages.Count), lines.Count - 1);
        Assert.DoesNotContain(lines, l => l.Contains(",=HYPERLINK", StringComparison.Ordinal) || l.Contains("; =HYPERLINK", StringComparison.Ordinal) || l.Contains("\"=HYPERLINK", StringComparison.Ordinal));
        var (status, xlsx) = await world.EastManager.GetBytesAsync($"/api/reports/funnel/export?format=xlsx&{query.Replace(world.CompanyId, world.EastId)}");
        Assert.Equal(HttpStatusCode.OK, status);
        var sheet = new MemoryStream(xlsx).Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(lines.Count - 1, sheet.Count);
        Assert.Equal(east.Stages.Select(s => ((string)"", s.StageKey, (double)s.Entered)),
            sheet.Take(east.Stages.Count).Select(r => (Convert.ToString(r["repId"], CultureInfo.InvariantCulture) ?? "", (string)r["stageKey"]!, Convert.ToDouble(r["entered"], CultureInfo.InvariantCulture))));
        Assert.All(sheet, r => Assert.False((Convert.ToString(r["declineReasons"], CultureInfo.InvariantCulture) ?? "").StartsWith('=')));
    }

    [Fact]
    public async Task Activity_counts_calls_and_visits_per_working_day_of_each_reps_calendar_and_compares_many_and_few_visits()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var anchor = await world.CustomerOfAsync(world.EastA);
        var now = anchor.CreatedAt;
        // Up to the UTC day after now: Shanghai's today is already tomorrow in UTC for eight hours of every day.
        var to = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var from = to.AddDays(-15);
        // East: a weekday holiday and a make-up Saturday inside the range (the server's days, not the test machine's).
        var holiday = Enumerable.Range(3, 7).Select(i => to.AddDays(-i)).First(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var makeUp = Enumerable.Range(2, 7).Select(i => to.AddDays(-i)).First(d => d.DayOfWeek == DayOfWeek.Saturday);
        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/calendar",
            new WorkCalendarRequest("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday], [holiday], [makeUp]))).EnsureStatus(HttpStatusCode.OK);

        var random = new Random(2);
        var sent = new List<(CrmApi Rep, DateTimeOffset At, FollowUpType Type)>();
        foreach (var (rep, visitShare) in new[] { (world.EastA, 6), (world.EastB, 1), (world.WestA, 3) })
        {
            var customer = await world.CustomerOfAsync(rep);
            for (var at = now.AddDays(-17); at < now; at = at.AddHours(random.Next(6, 30)))
            {
                var type = random.Next(8) < visitShare ? FollowUpType.Visit : (FollowUpType)(1 + random.Next(3));
                (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
                    new FollowUpRequest(type, "reached", At: at))).EnsureStatus(HttpStatusCode.Created);
                sent.Add((rep, at, type));
            }
        }

        // Deals closed now: eastA wins two, westA wins one and loses one, eastB loses one.
        foreach (var (rep, win) in new[] { (world.EastA, true), (world.EastA, true), (world.WestA, true), (world.WestA, false), (world.EastB, false) })
        {
            var deal = (await rep.OpenDealAsync((await world.CustomerOfAsync(rep)).Id, DealKit.Deal())).EnsureStatus(HttpStatusCode.Created).Value!;
            (await (win ? rep.WinAsync(deal.Id) : rep.LoseAsync(deal.Id, "price"))).EnsureStatus(HttpStatusCode.OK);
        }

        var report = (await world.Admin.SendAsync<ActivityReportDto>(HttpMethod.Get,
            $"/api/reports/activity?scopeId={world.CompanyId}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}")).EnsureStatus(HttpStatusCode.OK).Value!;
        bool EastWorks(DateOnly d) => d == makeUp || (d != holiday && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        bool WestWorks(DateOnly d) => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => from.AddDays(i)).ToList();
        var closed = new Dictionary<string, (int Won, int Lost)> { [world.EastA.UserId] = (2, 0), [world.WestA.UserId] = (1, 1), [world.EastB.UserId] = (0, 1) };
        var expected = new[] { world.EastA, world.EastB, world.WestA }.Select(rep =>
        {
            var zone = TargetsWorld.ZoneOf(rep == world.WestA ? "west" : "east");
            var mine = sent.Where(s => s.Rep == rep).Select(s => (Day: DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(s.At, zone).DateTime), s.Type))
                .Where(s => s.Day >= from && s.Day <= to).ToList();
            var working = days.Count(rep == world.WestA ? WestWorks : EastWorks);
            var (calls, visits) = (mine.Count(s => s.Type == FollowUpType.Call), mine.Count(s => s.Type == FollowUpType.Visit));
            var (won, lost) = closed[rep.UserId];
            return (rep.UserId, working, calls, visits, Math.Round((decimal)visits / working, 2, MidpointRounding.AwayFromZero), mine.Count, won, lost);
        }).OrderBy(r => r.UserId, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, report.Reps.Select(r => (r.RepId, r.WorkingDays, r.Calls, r.Visits, r.VisitsPerWorkingDay!.Value, r.FollowUpsByType.Values.Sum(), r.Won, r.Lost)));
        Assert.All(report.Reps, r => Assert.Equal(r.Calls + r.Visits, r.Days.Sum(d => d.Calls + d.Visits)));
        var eastA = report.Reps.Single(r => r.RepId == world.EastA.UserId);
        Assert.True(eastA.Days.Where(d => d.Day == makeUp).All(d => d.WorkingDay) && eastA.Days.Where(d => d.Day == holiday).All(d => !d.WorkingDay));

        // Many visits against few: by visits per working day, the first half (rounded up) against the rest.
        var ranked = expected.OrderByDescending(e => e.Item5).ThenBy(e => e.UserId, StringComparer.Ordinal).ToList();
        var many = ranked.Take(2).ToList();
        var few = ranked.Skip(2).ToList();
        Assert.Equal(many.Select(m => m.UserId), report.Comparison.ManyVisits.RepIds);
        Assert.Equal(few.Select(m => m.UserId), report.Comparison.FewVisits.RepIds);
        decimal? Rate(int won, int lost) => won + lost == 0 ? null : Math.Round((decimal)won / (won + lost), 4, MidpointRounding.AwayFromZero);
        Assert.Equal((many.Sum(m => m.won), many.Sum(m => m.lost), Rate(many.Sum(m => m.won), many.Sum(m => m.lost))),
            (report.Comparison.ManyVisits.Won, report.Comparison.ManyVisits.Lost, report.Comparison.ManyVisits.Conversion));
        Assert.Equal(Math.Round((decimal)few.Sum(f => f.visits) / few.Sum(f => f.working), 2, MidpointRounding.AwayFromZero), report.Comparison.FewVisits.VisitsPerWorkingDay);

        var csv = (await world.Admin.GetTextAsync($"/api/reports/activity/export?scopeId={world.CompanyId}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}")).EnsureStatus(HttpStatusCode.OK).Body!;
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        Assert.Equal(expected.Select(e => (e.UserId, e.visits.ToString(CultureInfo.InvariantCulture))), rows.Select(r => (r[0], r[3])));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.GetAsync($"/api/reports/activity/export?scopeId={world.EastId}")).Status);
    }

    [Theory]
    [InlineData("funnel", "from=2025-11-10&to=2025-11-01", "from")]
    [InlineData("funnel", "from=2025-01-01&to=2026-01-02", "to")]
    [InlineData("activity", "from=1999-12-31&to=2000-01-02", "from")]
    [InlineData("activity", "from=2025-11-01&to=2025-11-02&scopeId=" + "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345", "scopeId")]
    [InlineData("activity/export", "from=2025-11-01&to=2025-11-02&format=pdf", "format")]
    public async Task A_report_that_makes_no_sense_is_refused_naming_the_field(string report, string query, string field)
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var refused = await admin.SendAsync<FunnelReportDto>(HttpMethod.Get, $"/api/reports/{report}?{query}");
        Assert.Equal((HttpStatusCode.BadRequest, field), (refused.Status, string.Join(",", refused.ErrorFields)));
    }

    private static (string Stage, int Entered, int Advanced, decimal? Conversion, int Won, int Lost, int Declined, string LoseReasons, string DeclineReasons) Shape(FunnelStageDto s) =>
        (s.StageKey, s.Entered, s.Advanced, s.Conversion, s.Won, s.Lost, s.Declined, Reasons(s.LoseReasons.Select(r => (r.Reason, r.Count))),
            Reasons(s.DeclineReasons.Select(r => (r.Reason, r.Count))));

    private static string Reasons(IEnumerable<(string Reason, int Count)> reasons) =>
        string.Join("|", reasons.OrderBy(r => r.Reason, StringComparer.Ordinal).Select(r => $"{r.Reason}={r.Count}"));

    /// <summary>The test's own funnel: stages in pipeline order, onward = moves to a later stage plus wins from the stage.</summary>
    private static List<(string, int, int, decimal?, int, int, int, string, string)> ExpectedStages(IReadOnlyList<Step> steps) => Stages
        .Where(stage => steps.Any(s => s.Stage == stage))
        .Select(stage =>
        {
            var here = steps.Where(s => s.Stage == stage).ToList();
            var entered = here.Count(s => s.Measure == "entered");
            var onward = here.Count(s => s.Measure == "won" || (s.Measure == "moved" && Array.IndexOf(Stages, s.Detail) > Array.IndexOf(Stages, stage)));
            string Of(string measure) => Reasons(here.Where(s => s.Measure == measure).GroupBy(s => s.Detail).Select(g => (g.Key, g.Count())));
            return (stage, entered, onward, entered == 0 ? (decimal?)null : Math.Round((decimal)onward / entered, 4, MidpointRounding.AwayFromZero),
                here.Count(s => s.Measure == "won"), here.Count(s => s.Measure == "lost"), here.Count(s => s.Measure == "declined"), Of("lost"), Of("declined"));
        })
        .ToList();
}

[Collection(ServerCollection.Name)]
public sealed class SqliteActivityReportsApiTests(ServerFixture fixture) : ActivityReportsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresActivityReportsApiTests(PostgresServerFixture fixture) : ActivityReportsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
