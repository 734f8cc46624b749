using System.IO.Compression;
using System.Net;
using Crm.Client;
using Crm.Tests.Contracts;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;
using Crm.Tests.Reports;

namespace Crm.Tests.DailyReports;

/// <summary>
/// Daily reports over HTTP on the real server: a Shanghai rep and a Moscow rep follow up (logged late, either side of
/// their local midnights), win deals and receive money on and around 2025-11-05; the report of that day, generated on
/// demand and stored, is compared with what the test adds up itself from what it sent, in each rep's own local day.
/// Then the rep's comments and plan, a manager's reply told to the rep, who reads what, days off, bad input, the
/// report time per unit and the CSV/XLSX export.
/// </summary>
public abstract class DailyReportsApiTests
{
    private static readonly DateOnly Day = new(2025, 11, 5);

    /// <summary>CHF in CNY from 2025-11-01: the test's own rate, in a currency no other test rates.</summary>
    private const decimal ChfRate = 8.05m;

    protected abstract ServerProcess Server { get; }

    private sealed record FollowUpSent(DateTimeOffset At, string Type, string Outcome);

    private sealed record MoneySent(DateTimeOffset At, decimal Amount, string Currency);

    [Fact]
    public async Task A_days_report_adds_up_what_the_rep_did_in_its_own_local_day_and_is_stored_once()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        // Today (the server's clock) must be a working day in both reps' calendars whatever day the test runs: no weekly
        // days off here (on a Saturday in Shanghai today's report was a 404). The 5th's holidays stay; it was a Wednesday.
        foreach (var (unit, zone, holidays) in new[] { (world.EastId, "Asia/Shanghai", TargetsWorld.EastHolidays), (world.WestId, "Europe/Moscow", []) })
        {
            (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{unit}/calendar", new WorkCalendarRequest(zone, [], holidays)))
                .EnsureStatus(HttpStatusCode.OK);
        }

        foreach (var unit in new[] { world.EastId, world.WestId })
        {
            // Today's report stays a preview while the test works (unless it runs in the last minute of a local day).
            (await world.Admin.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{unit}/daily-report",
                new DailyReportSettingRequest("23:59"))).EnsureStatus(HttpStatusCode.OK);
        }

        foreach (var (rep, zone) in new[] { (world.EastA, "east"), (world.WestA, "west") })
        {
            var follow = await FollowUpsAsync(world, rep);
            var paid = await PaymentsAsync(world, rep);
            var won = await WinsAsync(world, rep);

            var report = (await rep.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={rep.UserId}&date=2025-11-05"))
                .EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.True(report.Final);
            Assert.NotNull(report.Id);
            Assert.Equal((rep.UserId, Day, zone == "east" ? "Asia/Shanghai" : "Europe/Moscow"), (report.RepId, report.Date, report.TimeZone));

            var mine = follow.Where(f => LocalDay(f.At, zone) == Day).ToList();
            Assert.InRange(mine.Count, 2, follow.Count - 2);
            Assert.Equal(mine.Count, report.Figures.FollowUps);
            Assert.Equal(mine.GroupBy(f => (f.Type, f.Outcome)).Select(g => (g.Key.Type, g.Key.Outcome, g.Count())).Order(),
                report.Figures.FollowUpsByType.Select(f => (f.Type, f.Outcome, f.Count)).Order());
            Assert.Equal(Totals(paid.Where(p => LocalDay(p.At, zone) == Day)), report.Figures.PaymentsReceived.Select(a => (a.Currency, a.Amount)));
            var inBase = Totals(paid.Where(p => LocalDay(p.At, zone) == Day)).Sum(t => t.Item1 == "CHF" ? Math.Round(t.Item2 * ChfRate, 2) : t.Item2);
            Assert.Equal(("CNY", inBase), (report.Figures.PaymentsTotal.Currency, report.Figures.PaymentsTotal.Amount));
            Assert.Empty(report.Figures.PaymentsTotal.MissingRates);
            Assert.Equal((0, 0), (report.Figures.NewCustomers, report.Figures.DealsWon)); // created and won today, not on the 5th
            Assert.Equal(Day.AddDays(1), report.Figures.NextWorkingDay);
            // Made today for the 5th: the customers the rep was given today were not its on the 5th.
            Assert.Empty(report.Figures.Customers);
            Assert.Equal((0, 0, 0), (report.Figures.Lights.Green, report.Figures.Lights.Yellow, report.Figures.Lights.Red));

            // Stored: a follow-up logged late for that day afterwards does not change the report; the same id comes back.
            var late = await world.CustomerOfAsync(rep);
            (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{late.Id}/follow-ups",
                new FollowUpRequest(FollowUpType.Visit, "late", At: At(zone, Day, 12)))).EnsureStatus(HttpStatusCode.Created);
            var again = (await rep.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={rep.UserId}&date=2025-11-05")).Value!;
            Assert.Equal((report.Id, report.GeneratedAt, report.Figures.FollowUps), (again.Id, again.GeneratedAt, again.Figures.FollowUps));

            // Today's report (a preview before the unit's report time): the customers created and the deals won today,
            // and a light for each active customer — all moving, as every one was made today.
            var today = (await rep.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={rep.UserId}")).EnsureStatus(HttpStatusCode.OK).Value!;
            var customers = 1 + 2 + won.Count + 1; // follow-ups, the two contracts', one per win, the late one
            Assert.Equal((customers, won.Count + 2), (today.Figures.NewCustomers, today.Figures.DealsWon));
            Assert.Equal(Totals(won.Append(new MoneySent(default, 1_000_000m, "CNY")).Append(new MoneySent(default, 50_000m, "CHF"))),
                today.Figures.WonAmounts.Select(a => (a.Currency, a.Amount)));
            Assert.Equal((customers, 0, 0, customers), (today.Figures.Lights.Green, today.Figures.Lights.Yellow, today.Figures.Lights.Red, today.Figures.Lights.Listed));
            Assert.Contains(today.Figures.Customers, c => c.CustomerId == late.Id && c.Light == "green" && c.Reason.StartsWith("Moving"));

            // DailyReportReady is in the rep's message center once.
            var ready = await NotificationsAsync(rep, nameof(DailyReportReady));
            Assert.Single(ready, n => n.Data.GetProperty("reportId").GetString() == report.Id);
        }

        // The manager of East was told about eastA's report, not about westA's.
        var managerReady = await NotificationsAsync(world.EastManager, nameof(DailyReportReady));
        Assert.Contains(managerReady, n => n.Data.GetProperty("repId").GetString() == world.EastA.UserId);
        Assert.DoesNotContain(managerReady, n => n.Data.GetProperty("repId").GetString() == world.WestA.UserId);
    }

    [Fact]
    public async Task A_field_reps_report_counts_its_check_ins_and_notes_of_the_day_and_the_export_has_them()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var rep = world.EastA;
        // Today is a working day whatever day the test runs, and check-ins are allowed at any hour.
        (await world.Admin.SendAsync<WorkCalendarDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/calendar", new WorkCalendarRequest("Asia/Shanghai", [])))
            .EnsureStatus(HttpStatusCode.OK);
        (await world.EastManager.SendAsync<FieldWorkSettingsDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/field-work", new FieldWorkSettingsRequest(true)))
            .EnsureStatus(HttpStatusCode.OK);
        // Not yet the report time: no sweep stores today's report before the rep has worked.
        (await world.Admin.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/daily-report", new DailyReportSettingRequest("23:59")))
            .EnsureStatus(HttpStatusCode.OK);
        var templateId = $"day-{Guid.NewGuid():N}"[..20];
        (await world.EastManager.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates",
            new NoteTemplateRequest("拜访", [new("remarks", "备注", NoteFieldType.Text, Required: true)], "备注：{{ remarks }}", templateId, "zh", OrgUnitId: world.EastId)))
            .EnsureStatus(HttpStatusCode.Created);
        var customer = await world.CustomerOfAsync(rep);
        (await rep.SendAsync<LocationConsentDto>(HttpMethod.Put, $"/api/reps/{rep.UserId}/location-consents", new LocationConsentRequest("phone-1", true)))
            .EnsureStatus(HttpStatusCode.OK);

        // Two check-ins and three notes now, one call: the day of a rep in the field.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            (await rep.SendAsync<VisitDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/visits", new CheckInRequest(31.2304, 121.4737, 10, DeviceId: "phone-1")))
                .EnsureStatus(HttpStatusCode.Created);
        }

        foreach (var remark in new[] { "见到张总", "送样品", "报价" })
        {
            (await rep.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/notes",
                new AddNoteRequest(templateId, new() { ["remarks"] = System.Text.Json.JsonSerializer.SerializeToElement(remark) }))).EnsureStatus(HttpStatusCode.Created);
        }

        (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups", new FollowUpRequest(FollowUpType.Call, "reached")))
            .EnsureStatus(HttpStatusCode.Created);

        // The report time has come (00:00): today's report is generated and stored on asking.
        (await world.Admin.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/daily-report", new DailyReportSettingRequest("00:00")))
            .EnsureStatus(HttpStatusCode.OK);
        var report = (await rep.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={rep.UserId}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.True(report.Final);
        Assert.Equal((2, 3, 1), (report.Figures.Visits, report.Figures.Notes, report.Figures.FollowUps));

        var day = report.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var lines = (await world.EastManager.GetTextAsync($"/api/reports/daily/export?repId={rep.UserId}&from={day}&to={day}")).EnsureStatus(HttpStatusCode.OK).Value!
            .TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        var row = lines[1].Split(',');
        Assert.Equal(("2", "3", "1"), (row[header.IndexOf("visits")], row[header.IndexOf("notes")], row[header.IndexOf("followUps")]));
    }

    [Fact]
    public async Task The_rep_writes_its_comments_a_manager_replies_and_the_rep_is_told_and_only_the_right_people_reach_a_report()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var report = (await world.EastManager.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={world.EastA.UserId}&date=2025-11-06"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        var id = report.Id!;

        var noted = (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Put, $"/api/reports/daily/{id}",
            new DailyReportNotesRequest("=HYPERLINK(\"http://evil\",\"x\") visited two plants", "Call back Lin Hua"))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("=HYPERLINK(\"http://evil\",\"x\") visited two plants", "Call back Lin Hua"), (noted.Comments, noted.Plan));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastManager.SendAsync<DailyReportDto>(HttpMethod.Put, $"/api/reports/daily/{id}",
            new DailyReportNotesRequest("not mine", null))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastB.SendAsync<DailyReportDto>(HttpMethod.Put, $"/api/reports/daily/{id}",
            new DailyReportNotesRequest("not mine", null))).Status);

        // The rep's app is connected: it hears the reply live, and finds it in its message center.
        await using var app = new CrmEventStream(world.EastA.BaseAddress, () => Task.FromResult(world.EastA.Token));
        var heard = new TaskCompletionSource<DailyReportReplied>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.DailyReportReplied += e => heard.TrySetResult(e);
        await app.StartAsync();
        var reply = (await world.EastManager.SendAsync<DailyReportReplyDto>(HttpMethod.Post, $"/api/reports/daily/{id}/replies",
            new DailyReportReplyRequest("Good. Bring the quote tomorrow."))).EnsureStatus(HttpStatusCode.Created).Value!;
        Assert.Equal(world.EastManager.UserId, reply.AuthorId);
        var live = await heard.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal((id, reply.Id, world.EastA.UserId, new DateOnly(2025, 11, 6)), (live.ReportId, live.ReplyId, live.RepId, live.Date));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.SendAsync<DailyReportReplyDto>(HttpMethod.Post, $"/api/reports/daily/{id}/replies",
            new DailyReportReplyRequest("replying to myself"))).Status);
        var told = Assert.Single(await NotificationsAsync(world.EastA, nameof(DailyReportReplied)));
        Assert.Equal((id, reply.Id, "Good. Bring the quote tomorrow."),
            (told.Data.GetProperty("reportId").GetString(), told.Data.GetProperty("replyId").GetString(), told.Data.GetProperty("text").GetString()));
        var read = (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily/{id}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([reply.Id], read.Replies.Select(r => r.Id));

        // Who reaches what: a rep only itself (403 for another), a manager its subtree (404 outside), an admin all.
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastB.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.EastA.UserId}&date=2025-11-06")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastB.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.WestA.UserId}&date=2025-11-06")).Status);
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.EastManager.UserId}&date=2025-11-06")).Status);

        // Days off have no report: East's holiday, a weekend day; the same Monday is a working day in Moscow.
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.EastA.UserId}&date=2025-11-03")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.WestA.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.WestA.UserId}&date=2025-11-09")).Status);
        Assert.Equal(HttpStatusCode.OK, (await world.WestA.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.WestA.UserId}&date=2025-11-03")).Status);
        // East's make-up Saturday is a working day with its report.
        Assert.Equal(HttpStatusCode.OK, (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Get,
            $"/api/reports/daily?repId={world.EastA.UserId}&date=2025-11-08")).Status);

        // The export: one row per stored report of the rep; a cell that would run as a formula is neutralised.
        var csv = (await world.EastManager.GetTextAsync($"/api/reports/daily/export?repId={world.EastA.UserId}&from=2025-11-01&to=2025-11-30"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("repId,date,generatedAt,", lines[0]);
        Assert.Equal(["2025-11-06", "2025-11-08"], lines.Skip(1).Select(l => l.Split(',')[1]));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\") visited two plants\"", lines[1]);
        Assert.EndsWith(",Call back Lin Hua,1", lines[1]);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastB.GetTextAsync(
            $"/api/reports/daily/export?repId={world.EastA.UserId}&from=2025-11-01&to=2025-11-30")).Status);
        var unit = (await world.EastManager.GetTextAsync($"/api/reports/daily/export?scopeId={world.EastId}&from=2025-11-01&to=2025-11-30")).Value!;
        Assert.Equal(3, unit.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.GetTextAsync(
            $"/api/reports/daily/export?scopeId={world.WestId}&from=2025-11-01&to=2025-11-30")).Status);

        using var xlsx = await XlsxAsync(world.EastA, $"/api/reports/daily/export?repId={world.EastA.UserId}&from=2025-11-01&to=2025-11-30&format=xlsx");
        using var sheet = new StreamReader(xlsx.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var xml = await sheet.ReadToEndAsync();
        Assert.Contains("t=\"inlineStr\"><is><t xml:space=\"preserve\">=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;) visited two plants</t>", xml);
        Assert.DoesNotContain("<f>", xml);
        Assert.Equal(3, xml.Split("<row ").Length - 1);
    }

    [Fact]
    public async Task The_report_time_is_set_per_unit_and_followed_below_and_bad_input_is_refused_naming_the_field()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var set = (await world.Admin.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/daily-report",
            new DailyReportSettingRequest("19:30"))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("19:30", world.EastId, "Asia/Shanghai"), (set.LocalTime, set.SetOn, set.TimeZone));
        var below = (await world.EastA.SendAsync<DailyReportSettingDto>(HttpMethod.Get, $"/api/org-units/{world.EastTeamId}/daily-report")).Value!;
        Assert.Equal(("19:30", world.EastId), (below.LocalTime, below.SetOn));
        var west = (await world.WestA.SendAsync<DailyReportSettingDto>(HttpMethod.Get, $"/api/org-units/{world.WestTeamId}/daily-report")).Value!;
        Assert.Equal(("18:00", (string?)null, "Europe/Moscow"), (west.LocalTime, west.SetOn, west.TimeZone));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastManager.SendAsync<DailyReportSettingDto>(HttpMethod.Put,
            $"/api/org-units/{world.EastId}/daily-report", new DailyReportSettingRequest("17:00"))).Status);
        var removed = (await world.Admin.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/daily-report",
            new DailyReportSettingRequest(null))).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(("18:00", (string?)null), (removed.LocalTime, removed.SetOn));

        foreach (var (query, field) in new[]
                 {
                     ($"repId={world.EastA.UserId}&date=2025-13-01", "date"),
                     ($"repId={world.EastA.UserId}&date=yesterday", "date"),
                     ($"repId={world.EastA.UserId}&date=2999-01-01", "date"),
                     ($"repId={world.EastA.UserId}&date=1900-01-01", "date"), // more than the bound before today (its edges: DailyReportDatesTests)
                     ("date=2025-11-05", "repId"),
                     ($"repId={new string('x', 65)}", "repId"),
                 })
        {
            var bad = await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?{query}");
            Assert.Equal((HttpStatusCode.BadRequest, field), (bad.Status, string.Join(",", bad.ErrorFields)));
        }

        Assert.Equal(["date"], (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={world.EastA.UserId}&date=2099-12-31")).ErrorFields);
        Assert.Equal(["localTime"], (await world.Admin.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{world.EastId}/daily-report",
            new DailyReportSettingRequest("25:00"))).ErrorFields);
        var report = (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Get, $"/api/reports/daily?repId={world.EastA.UserId}&date=2025-11-05")).Value!;
        Assert.Equal(["comments"], (await world.EastA.SendAsync<DailyReportDto>(HttpMethod.Put, $"/api/reports/daily/{report.Id}",
            new DailyReportNotesRequest(null, null))).ErrorFields);
        Assert.Equal(["text"], (await world.EastManager.SendAsync<DailyReportReplyDto>(HttpMethod.Post, $"/api/reports/daily/{report.Id}/replies",
            new DailyReportReplyRequest("  "))).ErrorFields);
        Assert.Equal(["to"], (await world.EastA.GetTextAsync($"/api/reports/daily/export?repId={world.EastA.UserId}&from=2025-11-05&to=2025-11-01")).ErrorFields);
        Assert.Equal(["format"], (await world.EastA.GetTextAsync($"/api/reports/daily/export?repId={world.EastA.UserId}&from=2025-11-01&to=2025-11-05&format=pdf")).ErrorFields);
    }

    private static DateOnly LocalDay(DateTimeOffset at, string zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TargetsWorld.ZoneOf(zone)).DateTime);

    private static DateTimeOffset At(string zone, DateOnly day, int hour)
    {
        var local = day.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, TargetsWorld.ZoneOf(zone).GetUtcOffset(local));
    }

    private static IEnumerable<(string, decimal)> Totals(IEnumerable<MoneySent> sent) => sent
        .GroupBy(s => s.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(s => s.Amount))).Where(t => t.Item2 != 0);

    /// <summary>Follow-ups every 5 hours from 2025-11-04 10:00 to 2025-11-06 10:00 UTC, rotating types and outcomes.</summary>
    private static async Task<List<FollowUpSent>> FollowUpsAsync(TargetsWorld world, CrmApi rep)
    {
        var customer = await world.CustomerOfAsync(rep);
        var types = new[] { FollowUpType.Call, FollowUpType.Visit, FollowUpType.Call, FollowUpType.Message };
        var outcomes = new[] { "reached", "no answer", "reached" };
        var sent = new List<FollowUpSent>();
        var i = 0;
        for (var at = new DateTimeOffset(2025, 11, 4, 10, 0, 0, TimeSpan.Zero); at <= new DateTimeOffset(2025, 11, 6, 10, 0, 0, TimeSpan.Zero); at = at.AddHours(5), i++)
        {
            var (type, outcome) = (types[i % types.Length], outcomes[i % outcomes.Length]);
            (await rep.SendAsync<TimelineEntryDto>(HttpMethod.Post, $"/api/customers/{customer.Id}/follow-ups",
                new FollowUpRequest(type, outcome, At: at))).EnsureStatus(HttpStatusCode.Created);
            sent.Add(new FollowUpSent(at, type.ToString().ToLowerInvariant(), outcome));
        }

        return sent;
    }

    /// <summary>Two deals won now, in CNY and USD.</summary>
    private static async Task<List<MoneySent>> WinsAsync(TargetsWorld world, CrmApi rep)
    {
        var sent = new List<MoneySent>();
        foreach (var (amount, currency) in new[] { (12_000m, "CNY"), (800.5m, "USD") })
        {
            var customer = await world.CustomerOfAsync(rep, "Won");
            var deal = (await rep.OpenDealAsync(customer.Id, DealKit.Deal(amount, currency))).EnsureStatus(HttpStatusCode.Created).Value!;
            (await rep.WinAsync(deal.Id)).EnsureStatus(HttpStatusCode.OK);
            sent.Add(new MoneySent(default, amount, currency));
        }

        return sent;
    }

    /// <summary>Payments and a refund either side of the local midnights of the 5th on a CNY contract, and two CHF payments.</summary>
    private static async Task<List<MoneySent>> PaymentsAsync(TargetsWorld world, CrmApi rep)
    {
        (await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates",
            new CurrencyRatesRequest([new("CHF", new DateOnly(2025, 11, 1), ChfRate)]))).EnsureStatus(HttpStatusCode.OK);
        var contract = await world.ContractOfAsync(rep, "CNY");
        var chf = await world.ContractOfAsync(rep, "CHF", 50_000m);
        var sent = new List<MoneySent>();
        foreach (var (at, amount) in new[] { (new DateTimeOffset(2025, 11, 5, 9, 0, 0, TimeSpan.Zero), 333.33m), (new DateTimeOffset(2025, 11, 6, 9, 0, 0, TimeSpan.Zero), 10m) })
        {
            (await rep.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{chf}/payments",
                new PaymentRequest(amount, at, "bank-transfer", null, null))).EnsureStatus(HttpStatusCode.Created);
            sent.Add(new MoneySent(at, amount, "CHF"));
        }

        foreach (var (at, amount) in new[]
                 {
                     (new DateTimeOffset(2025, 11, 4, 17, 0, 0, TimeSpan.Zero), 1_000m),
                     (new DateTimeOffset(2025, 11, 4, 22, 0, 0, TimeSpan.Zero), 2_500.25m),
                     (new DateTimeOffset(2025, 11, 5, 12, 0, 0, TimeSpan.Zero), -300m),
                     (new DateTimeOffset(2025, 11, 5, 20, 30, 0, TimeSpan.Zero), 700m),
                 })
        {
            (await rep.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract}/payments",
                new PaymentRequest(amount, at, "bank-transfer", null, amount < 0 ? "returned goods" : null))).EnsureStatus(HttpStatusCode.Created);
            sent.Add(new MoneySent(at, amount, "CNY"));
        }

        return sent;
    }

    private static async Task<List<Notification>> NotificationsAsync(CrmApi user, string type) =>
        (await user.SendAsync<Page<Notification>>(HttpMethod.Get, "/api/notifications?pageSize=200")).EnsureStatus(HttpStatusCode.OK).Value!
        .Items.Where(n => n.Type == type).ToList();

    private static async Task<ZipArchive> XlsxAsync(CrmApi api, string path)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", api.Token);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        return new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteDailyReportsApiTests(ServerFixture fixture) : DailyReportsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresDailyReportsApiTests(PostgresServerFixture fixture) : DailyReportsApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
