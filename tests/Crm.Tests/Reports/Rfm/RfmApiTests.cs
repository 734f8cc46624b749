using System.Globalization;
using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports.Rfm;

/// <summary>
/// RFM and repurchase lists over HTTP on the real server: generated payment histories (CNY, USD at the table's rate, a
/// refund) in 2025 for customers of reps in Shanghai and Moscow; the report, its segments and moves, and the repurchase
/// lists, checked against what the test works out itself from the payments it sent (local days of each rep's zone,
/// medians, the 33/35 and 10/7 rules); who sees what; bad input.
/// </summary>
public abstract class RfmApiTests
{
    private static readonly DateOnly YearEnd = new(2025, 12, 31);
    private static readonly DateOnly AutumnEnd = new(2025, 10, 31);

    protected abstract ServerProcess Server { get; }

    private sealed record Paid(CrmApi Rep, bool West, Guid Customer, string? Name, DateTimeOffset At, decimal Amount, string Currency);

    private sealed record Figures(Guid Customer, DateOnly Last, int Recency, int Frequency, decimal Monetary);

    [Fact]
    public async Task The_report_scores_each_customer_from_its_payments_into_the_eight_segments_and_shows_the_moves()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        await QuantilesAsync(world);
        var paid = await HistoriesAsync(world);
        var east = paid.Where(p => p.Rep != world.WestA).ToList();

        foreach (var at in new[] { AutumnEnd, YearEnd })
        {
            var report = await ReportAsync(world.Admin, $"scopeId={world.EastId}&at={at:yyyy-MM-dd}&pageSize=500");
            var expected = Expected(east, at, await UsdRateAsync(world, at));
            AssertReport(expected, report);
        }

        // Today (the unit's local today): read from the kept summaries, the same figures counted to that day.
        var today = await ReportAsync(world.EastManager, "pageSize=500");
        AssertReport(Expected(east, today.AsOf, await UsdRateAsync(world, today.AsOf)), today);

        // A segment's page.
        var segments = Segmented(Expected(east, YearEnd, await UsdRateAsync(world, YearEnd)));
        var busiest = segments.GroupBy(s => s.Value).MaxBy(g => g.Count())!;
        var page = await ReportAsync(world.Admin, $"scopeId={world.EastId}&at=2025-12-31&segment={busiest.Key}&pageSize=1&page=2");
        Assert.Equal(busiest.Count(), page.Customers.Total);
        Assert.Equal(busiest.Count() >= 2 ? 1 : 0, page.Customers.Items.Count);
        Assert.All(page.Customers.Items, c => Assert.Equal(busiest.Key, c.Segment));

        // Moves: each customer's segment on both days (none before its first purchase), counted by pair.
        var moves = (await world.Admin.SendAsync<RfmMovesDto>(HttpMethod.Get,
            $"/api/reports/rfm/moves?scopeId={world.EastId}&from=2025-10-31&to=2025-12-31")).EnsureStatus(HttpStatusCode.OK).Value!;
        var before = Segmented(Expected(east, AutumnEnd, await UsdRateAsync(world, AutumnEnd)));
        var expectedMoves = segments.GroupBy(s => (From: before.GetValueOrDefault(s.Key) ?? "none", To: s.Value))
            .ToDictionary(g => $"{g.Key.From}>{g.Key.To}", g => g.Count());
        Assert.Equal(expectedMoves.OrderBy(m => m.Key), moves.Moves.ToDictionary(m => $"{m.From}>{m.To}", m => m.Count).OrderBy(m => m.Key));
        Assert.Equal(before.Count, moves.SegmentsFrom.Sum(s => s.Count));

        // Fixed thresholds: at least as good as the company's values.
        (await world.Admin.SendAsync<RfmSettingsDto>(HttpMethod.Put, "/api/reports/rfm/settings",
            new RfmSettingsRequest("thresholds", 60, 3, 5_000m))).EnsureStatus(HttpStatusCode.OK);
        try
        {
            var fixedReport = await ReportAsync(world.Admin, $"scopeId={world.EastId}&at=2025-12-31&pageSize=500");
            Assert.Equal(new RfmThresholdsDto("thresholds", 60, 3, 5_000m), fixedReport.Thresholds);
            foreach (var f in Expected(east, YearEnd, await UsdRateAsync(world, YearEnd)))
            {
                Assert.Equal(Segment(f.Recency <= 60, f.Frequency >= 3, f.Monetary >= 5_000m), fixedReport.Customers.Items.Single(c => c.CustomerId == f.Customer).Segment);
            }
        }
        finally
        {
            await QuantilesAsync(world);
        }
    }

    [Fact]
    public async Task Each_sees_the_customers_it_may_see_and_a_rep_only_its_own()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        await QuantilesAsync(world);
        var paid = await HistoriesAsync(world);
        string[] Ids(IEnumerable<Paid> p) => p.Select(x => x.Customer.ToString()).Distinct().Order().ToArray();
        string[] Listed(RfmReportDto r) => r.Customers.Items.Select(c => c.CustomerId.ToString()).Order().ToArray();

        var manager = await ReportAsync(world.EastManager, "at=2025-12-31&pageSize=500");
        Assert.Equal(Ids(paid.Where(p => p.Rep != world.WestA)), Listed(manager));
        var rep = await ReportAsync(world.EastA, "at=2025-12-31&pageSize=500");
        Assert.Equal(Ids(paid.Where(p => p.Rep == world.EastA)), Listed(rep));
        var west = await ReportAsync(world.Admin, $"scopeId={world.WestId}&at=2025-12-31&pageSize=500");
        Assert.Equal(Ids(paid.Where(p => p.Rep == world.WestA)), Listed(west));

        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.SendAsync<RfmReportDto>(HttpMethod.Get, $"/api/reports/rfm?scopeId={world.EastTeamId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<RfmReportDto>(HttpMethod.Get, $"/api/reports/rfm?scopeId={world.WestId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastManager.SendAsync<RfmSettingsDto>(HttpMethod.Put, "/api/reports/rfm/settings",
            new RfmSettingsRequest("quantiles"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastB.SendAsync<RepurchaseListDto>(HttpMethod.Get, $"/api/reps/{world.EastA.UserId}/repurchase")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<RepurchaseListDto>(HttpMethod.Get, $"/api/reps/{world.WestA.UserId}/repurchase")).Status);
    }

    [Fact]
    public async Task The_export_has_the_rows_the_report_lists_for_whom_it_is_shown_with_formula_names_neutralised()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        await QuantilesAsync(world);
        var paid = await HistoriesAsync(world);
        var evil = await world.ContractOfAsync(world.EastA, "CNY", name: "=1+2 evil");
        paid.Add(await PayAsync(world.EastA, false, evil, await CustomerOfContractAsync(world.EastA, evil), null,
            new DateTimeOffset(2025, 12, 1, 4, 0, 0, TimeSpan.Zero), 123.45m, "CNY"));

        var query = $"scopeId={world.EastId}&at=2025-12-31";
        var report = await ReportAsync(world.Admin, $"{query}&pageSize=500");
        var csv = (await world.EastManager.GetTextAsync($"/api/reports/rfm/export?{query}")).EnsureStatus(HttpStatusCode.OK).Body!;
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("customerId,name,ownerId,lastPurchase,recencyDays,frequency,monetary,segment", lines[0]);
        Assert.Equal(report.Customers.Items.Select(c => string.Join(',', c.CustomerId, c.Name?.StartsWith('=') == true ? "'" + c.Name : c.Name, c.OwnerId,
            c.LastPurchase.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.RecencyDays, c.Frequency, c.Monetary.ToString(CultureInfo.InvariantCulture), c.Segment)),
            lines.Skip(1));
        Assert.Contains(lines, l => l.Contains(",'=1+2 evil", StringComparison.Ordinal));

        var (status, xlsx) = await world.EastManager.GetBytesAsync($"/api/reports/rfm/export?format=xlsx&{query}&ownerId={world.EastA.UserId}");
        Assert.Equal(HttpStatusCode.OK, status);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(report.Customers.Items.Where(c => c.OwnerId == world.EastA.UserId).Select(c => (c.CustomerId.ToString(), (double)c.Monetary, c.Segment)),
            sheet.Select(r => ((string)r["customerId"]!, Convert.ToDouble(r["monetary"], CultureInfo.InvariantCulture), (string)r["segment"]!)));
        Assert.All(sheet, r => Assert.False(((string)r["name"]!).StartsWith('=')));

        // A rep's export holds its own customers only; a unit scope is refused to a rep, another division to a manager.
        var own = (await world.EastA.GetTextAsync("/api/reports/rfm/export?at=2025-12-31")).EnsureStatus(HttpStatusCode.OK).Body!;
        Assert.Equal(paid.Where(p => p.Rep == world.EastA).Select(p => p.Customer.ToString()).Distinct().Order(),
            own.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).Order());
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastA.GetTextAsync($"/api/reports/rfm/export?scopeId={world.EastId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.GetTextAsync($"/api/reports/rfm/export?scopeId={world.WestId}")).Status);
        var bad = await world.Admin.SendAsync<RfmReportDto>(HttpMethod.Get, "/api/reports/rfm/export?format=pdf&segment=best");
        Assert.Equal((HttpStatusCode.BadRequest, "format,segment"), (bad.Status, string.Join(",", bad.ErrorFields.Order())));
    }

    [Fact]
    public async Task The_repurchase_list_holds_the_customers_past_33_35ths_of_their_rhythm_and_churn_risks_past_10_7ths()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        var paid = await HistoriesAsync(world);
        var mine = paid.Where(p => p.Rep == world.EastA).ToList();
        var on = new DateOnly(2025, 12, 20);

        var list = (await world.EastManager.SendAsync<RepurchaseListDto>(HttpMethod.Get,
            $"/api/reps/{world.EastA.UserId}/repurchase?at=2025-12-20")).EnsureStatus(HttpStatusCode.OK).Value!;
        var expected = ExpectedRepurchase(mine, on);
        Assert.Equal(expected, list.Items.Select(i => (i.CustomerId, i.Status, i.DaysSince)));
        Assert.Contains((Rhythm("due"), "repurchase-due", 33), expected);
        Assert.Contains((Rhythm("churn"), "churn-risk", 50), expected);
        Assert.DoesNotContain(expected, e => e.Customer == Rhythm("not yet"));

        // Today, from the kept summaries: every customer with a rhythm has long been at risk.
        var now = (await world.EastA.SendAsync<RepurchaseListDto>(HttpMethod.Get, $"/api/reps/{world.EastA.UserId}/repurchase")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal(ExpectedRepurchase(mine, now.AsOf), now.Items.Select(i => (i.CustomerId, i.Status, i.DaysSince)));
        Assert.All(now.Items, i => Assert.Equal("churn-risk", i.Status));

        Guid Rhythm(string name) => mine.First(p => p.Name == name).Customer;
    }

    [Theory]
    [InlineData("/api/reports/rfm?at=1999-12-31", "at")]
    [InlineData("/api/reports/rfm?segment=loyal", "segment")]
    [InlineData("/api/reports/rfm?pageSize=501", "pageSize")]
    [InlineData("/api/reports/rfm/moves?to=2025-12-31", "from")]
    [InlineData("/api/reports/rfm/moves?from=2025-12-31&to=2025-12-01", "to")]
    [InlineData("/api/reps/x/repurchase?at=2101-01-01", "at")]
    public async Task Bad_input_is_refused_naming_the_field(string path, string field)
    {
        var admin = await Server.Api().LoginAsAdminAsync();
        var refused = await admin.SendAsync<object>(HttpMethod.Get, path);
        Assert.Equal((HttpStatusCode.BadRequest, field), (refused.Status, string.Join(",", refused.ErrorFields)));
        foreach (var (request, bad) in new[] { (new RfmSettingsRequest("median"), "method"), (new RfmSettingsRequest("thresholds", 30, null, 100m), "frequency"),
                     (new RfmSettingsRequest("thresholds", 30, 2, 0.001m), "monetary") })
        {
            var put = await admin.SendAsync<RfmSettingsDto>(HttpMethod.Put, "/api/reports/rfm/settings", request);
            Assert.Equal((HttpStatusCode.BadRequest, bad), (put.Status, string.Join(",", put.ErrorFields)));
        }
    }

    private static async Task QuantilesAsync(TargetsWorld world) =>
        (await world.Admin.SendAsync<RfmSettingsDto>(HttpMethod.Put, "/api/reports/rfm/settings", new RfmSettingsRequest("quantiles"))).EnsureStatus(HttpStatusCode.OK);

    private static async Task<RfmReportDto> ReportAsync(CrmApi api, string query) =>
        (await api.SendAsync<RfmReportDto>(HttpMethod.Get, $"/api/reports/rfm?{query}")).EnsureStatus(HttpStatusCode.OK).Value!;

    private static async Task<decimal?> UsdRateAsync(TargetsWorld world, DateOnly at) =>
        (await world.Admin.SendAsync<ConversionDto>(HttpMethod.Get, $"/api/currency-rates/convert?amount=1&currency=USD&date={at:yyyy-MM-dd}"))
            .EnsureStatus(HttpStatusCode.OK).Value!.Rate;

    private static void AssertReport(IReadOnlyList<Figures> expected, RfmReportDto report)
    {
        var medians = (Median(expected.Select(f => (decimal)f.Recency)), Median(expected.Select(f => (decimal)f.Frequency)), Median(expected.Select(f => f.Monetary)));
        Assert.Equal(new RfmThresholdsDto("quantiles", medians.Item1, medians.Item2, medians.Item3), report.Thresholds);
        Assert.Equal(expected.Count, report.Total);
        var segments = Segmented(expected);
        foreach (var f in expected)
        {
            var row = report.Customers.Items.Single(c => c.CustomerId == f.Customer);
            Assert.Equal((f.Last, f.Recency, f.Frequency, f.Monetary, segments[f.Customer]), (row.LastPurchase, row.RecencyDays, row.Frequency, row.Monetary, row.Segment));
        }

        Assert.Equal(segments.GroupBy(s => s.Value).ToDictionary(g => g.Key, g => g.Count()).OrderBy(s => s.Key),
            report.Segments.Where(s => s.Count > 0).ToDictionary(s => s.Segment, s => s.Count).OrderBy(s => s.Key));
        Assert.Equal(8, report.Segments.Count);
        Assert.Equal(report.Customers.Items.OrderByDescending(c => c.Monetary).ThenBy(c => c.CustomerId).Select(c => c.CustomerId), report.Customers.Items.Select(c => c.CustomerId));
    }

    /// <summary>The test's own scoring: local purchase days, net money at the day's USD rate, each customer against the medians.</summary>
    private static List<Figures> Expected(IReadOnlyList<Paid> paid, DateOnly at, decimal? usdRate) => paid
        .Where(p => LocalDay(p) <= at)
        .GroupBy(p => p.Customer)
        .Select(g =>
        {
            var days = g.Where(p => p.Amount > 0).Select(LocalDay).Distinct().ToList();
            var cny = g.Where(p => p.Currency == "CNY").Sum(p => p.Amount);
            var usd = g.Where(p => p.Currency == "USD").Sum(p => p.Amount);
            var money = cny + (usdRate is { } r && usd != 0 ? Math.Round(usd * r, 2, MidpointRounding.AwayFromZero) : 0);
            return new Figures(g.Key, days.Max(), at.DayNumber - days.Max().DayNumber, days.Count, money);
        })
        .ToList();

    private static Dictionary<Guid, string> Segmented(IReadOnlyList<Figures> figures)
    {
        var (r, f, m) = (Median(figures.Select(x => (decimal)x.Recency)), Median(figures.Select(x => (decimal)x.Frequency)), Median(figures.Select(x => x.Monetary)));
        return figures.ToDictionary(x => x.Customer, x => Segment(x.Recency < r, x.Frequency > f, x.Monetary > m));
    }

    private static string Segment(bool recent, bool frequent, bool big) =>
        (big ? "important-" : "general-") + (recent, frequent) switch
        {
            (true, true) => "value",
            (true, false) => "development",
            (false, true) => "retention",
            _ => "recall",
        };

    private static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// The test's own repurchase rule: the mean of the last (up to) three intervals between purchase days; due once the days
    /// since the last purchase reach 33/35 of it, at risk from 10/7 of it (compared in whole numbers); churn risks first.
    /// </summary>
    private static List<(Guid Customer, string Status, int DaysSince)> ExpectedRepurchase(IReadOnlyList<Paid> paid, DateOnly at)
    {
        var found = new List<(Guid Customer, string Status, int DaysSince)>();
        foreach (var customer in paid.Where(p => LocalDay(p) <= at && p.Amount > 0).GroupBy(p => p.Customer))
        {
            var days = customer.Select(LocalDay).Distinct().OrderDescending().Take(4).ToList();
            if (days.Count < 2)
            {
                continue;
            }

            var intervals = days.Count - 1;
            var span = days[0].DayNumber - days[^1].DayNumber;
            var since = at.DayNumber - days[0].DayNumber;
            if (since * 7 * intervals >= 10 * span)
            {
                found.Add((customer.Key, "churn-risk", since));
            }
            else if (since * 35 * intervals >= 33 * span)
            {
                found.Add((customer.Key, "repurchase-due", since));
            }
        }

        return found.OrderBy(x => x.Status == "churn-risk" ? 0 : 1).ThenByDescending(x => x.DaysSince).ThenBy(x => x.Customer).ToList();
    }

    private static DateOnly LocalDay(Paid p) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(p.At, TargetsWorld.ZoneOf(p.West ? "west" : "east")).DateTime);

    /// <summary>
    /// Payment histories: three customers of eastA whose rhythms the repurchase rule judges on 2025-12-20 (every 35 days,
    /// last 33 and 50 days before; every 34, last 32 before), and generated ones (1 to 6 payments between May and
    /// December at any hour) for eastA, eastB (one in USD, from late October) and westA; one refund.
    /// </summary>
    private static async Task<List<Paid>> HistoriesAsync(TargetsWorld world)
    {
        (await world.Admin.SendAsync<Page<CurrencyRateDto>>(HttpMethod.Put, "/api/currency-rates",
            new CurrencyRatesRequest([new("USD", new DateOnly(2025, 10, 20), 7.1m)]))).EnsureStatus(HttpStatusCode.OK);
        var paid = new List<Paid>();
        var judged = new DateOnly(2025, 12, 20);
        foreach (var (name, days) in new[]
                 {
                     ("due", new[] { -103, -68, -33 }), ("churn", new[] { -250, -155, -120, -85, -50 }), ("not yet", new[] { -100, -66, -32 }),
                 })
        {
            var contract = await world.ContractOfAsync(world.EastA, "CNY");
            var customer = await CustomerOfContractAsync(world.EastA, contract);
            foreach (var day in days)
            {
                paid.Add(await PayAsync(world.EastA, false, contract, customer, name,
                    new DateTimeOffset(judged.AddDays(day).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8)), 800m, "CNY"));
            }
        }

        var random = new Random(17);
        var generated = new[] { (world.EastA, "CNY"), (world.EastA, "CNY"), (world.EastB, "CNY"), (world.EastB, "USD"), (world.EastB, "CNY"), (world.WestA, "CNY"), (world.WestA, "CNY") };
        foreach (var (rep, currency) in generated)
        {
            var contract = await world.ContractOfAsync(rep, currency);
            var customer = await CustomerOfContractAsync(rep, contract);
            var first = currency == "USD" ? new DateTimeOffset(2025, 10, 21, 0, 0, 0, TimeSpan.Zero) : new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
            var span = (int)(new DateTimeOffset(2025, 12, 20, 0, 0, 0, TimeSpan.Zero) - first).TotalHours;
            for (var i = random.Next(1, 7); i > 0; i--)
            {
                paid.Add(await PayAsync(rep, rep == world.WestA, contract, customer, null, first.AddHours(random.Next(span)), random.Next(10_000, 900_000) / 100m, currency));
            }
        }

        var refunded = paid.Last(p => p.Rep == world.EastB && p.Currency == "CNY");
        var refundContract = (await world.EastB.SendAsync<Page<ContractDto>>(HttpMethod.Get, $"/api/contracts?customerId={refunded.Customer}")).Value!.Items.Single().Id;
        paid.Add(await PayAsync(world.EastB, false, refundContract, refunded.Customer, null, refunded.At.AddDays(3), -50m, "CNY"));
        return paid;
    }

    private static async Task<Guid> CustomerOfContractAsync(CrmApi rep, string contract) =>
        (await rep.SendAsync<ContractDto>(HttpMethod.Get, $"/api/contracts/{contract}")).EnsureStatus(HttpStatusCode.OK).Value!.CustomerId;

    private static async Task<Paid> PayAsync(CrmApi rep, bool west, string contract, Guid customer, string? name, DateTimeOffset at, decimal amount, string currency)
    {
        (await rep.SendAsync<PaymentDto>(HttpMethod.Post, $"/api/contracts/{contract}/payments",
            new PaymentRequest(amount, at, "bank-transfer", null, amount < 0 ? "returned goods" : null))).EnsureStatus(HttpStatusCode.Created);
        return new Paid(rep, west, customer, name, at, amount, currency);
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteRfmApiTests(ServerFixture fixture) : RfmApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresRfmApiTests(PostgresServerFixture fixture) : RfmApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
