using System.Net;
using Crm.Client;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Reports.Rfm;

/// <summary>
/// The calibrated forecast over HTTP on the real server: each rep closes deals at stated probabilities (one optimistic,
/// one cautious, one with no history), then has open deals expected in and out of November 2025; the forecast's raw and
/// corrected figures and each factor are checked against the test's own sums and its own shrinkage of won / stated.
/// </summary>
public abstract class ForecastApiTests
{
    protected abstract ServerProcess Server { get; }

    private sealed record Deal(CrmApi Rep, decimal Amount, int Probability, DateOnly Close);

    [Fact]
    public async Task The_forecast_weighs_open_deals_closing_in_the_period_and_corrects_each_rep_by_what_its_closed_deals_showed()
    {
        var world = await TargetsWorld.CreateAsync(Server);
        // History: eastA said 80 % four times and won once; eastB said 50 % twice and won both; westA closed nothing.
        var closed = new List<(CrmApi Rep, int Stated, bool Won)>
        {
            (world.EastA, 80, true), (world.EastA, 80, false), (world.EastA, 80, false), (world.EastA, 80, false),
            (world.EastB, 50, true), (world.EastB, 50, true), (world.WestA, 0, false),
        };
        foreach (var (rep, stated, won) in closed.Where(c => c.Stated > 0))
        {
            var deal = await OpenAsync(world, new Deal(rep, 10_000m, stated, new DateOnly(2025, 9, 15)));
            (await (won ? rep.WinAsync(deal) : rep.LoseAsync(deal, "price"))).EnsureStatus(HttpStatusCode.OK);
        }

        var open = new List<Deal>
        {
            new(world.EastA, 120_000m, 60, new DateOnly(2025, 11, 3)), new(world.EastA, 45_000.5m, 30, new DateOnly(2025, 11, 30)),
            new(world.EastA, 99_000m, 90, new DateOnly(2025, 12, 1)), new(world.EastB, 70_000m, 45, new DateOnly(2025, 11, 1)),
            new(world.EastB, 33_333.33m, 10, new DateOnly(2025, 10, 31)), new(world.WestA, 50_000m, 50, new DateOnly(2025, 11, 20)),
        };
        foreach (var deal in open)
        {
            await OpenAsync(world, deal);
        }

        var forecast = (await world.Admin.SendAsync<ForecastDto>(HttpMethod.Get, $"/api/reports/forecast?scopeId={world.EastId}&period=2025-11"))
            .EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((new DateOnly(2025, 11, 1), new DateOnly(2025, 12, 1), "CNY"), (forecast.From, forecast.To, forecast.BaseCurrency));
        foreach (var rep in new[] { world.EastA, world.EastB })
        {
            var inPeriod = open.Where(d => d.Rep == rep && d.Close.Year == 2025 && d.Close.Month == 11).ToList();
            var raw = Math.Round(inPeriod.Sum(d => d.Amount * d.Probability / 100m), 2, MidpointRounding.AwayFromZero);
            var mine = closed.Where(c => c.Rep == rep).ToList();
            var (n, won, stated) = (mine.Count, mine.Count(c => c.Won), mine.Sum(c => c.Stated));
            var exact = (n * (won * 100m / stated) + 10) / (n + 10);
            var factor = Math.Round(exact, 4, MidpointRounding.AwayFromZero);
            var row = forecast.Reps.Single(r => r.RepId == rep.UserId);
            Assert.Equal((inPeriod.Count, inPeriod.Sum(d => d.Amount), raw), (row.OpenDeals, row.Pipeline, row.Raw));
            Assert.Equal((n, won, (long)stated, factor, 10), (row.Calibration.ClosedDeals, row.Calibration.Won, row.Calibration.StatedPercentSum,
                row.Calibration.Factor, row.Calibration.PriorDeals));
            Assert.Equal(Math.Round(raw * exact, 2, MidpointRounding.AwayFromZero), row.Corrected); // the shown factor is rounded, not what corrects
        }

        Assert.True(forecast.Reps.Single(r => r.RepId == world.EastA.UserId).Calibration.Factor < 1m, "an optimist is corrected down");
        Assert.True(forecast.Reps.Single(r => r.RepId == world.EastB.UserId).Calibration.Factor > 1m, "a cautious rep is corrected up");
        Assert.Equal(2, forecast.Reps.Count);
        Assert.Equal((forecast.Reps.Sum(r => r.Raw), forecast.Reps.Sum(r => r.Corrected)), (forecast.Raw, forecast.Corrected));

        // Without history the factor is 1; a rep sees its own deals only; a manager not the other division.
        var west = (await world.Admin.SendAsync<ForecastDto>(HttpMethod.Get, $"/api/reports/forecast?scopeId={world.WestId}&period=2025-11")).Value!;
        var westRow = Assert.Single(west.Reps);
        Assert.Equal((0, (decimal?)null, 1m, 25_000m, 25_000m), (westRow.Calibration.ClosedDeals, westRow.Calibration.RawFactor, westRow.Calibration.Factor,
            westRow.Raw, westRow.Corrected));
        var own = (await world.EastB.SendAsync<ForecastDto>(HttpMethod.Get, "/api/reports/forecast?period=2025-11")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal([world.EastB.UserId], own.Reps.Select(r => r.RepId));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastB.SendAsync<ForecastDto>(HttpMethod.Get, $"/api/reports/forecast?scopeId={world.EastId}&period=2025-11")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.SendAsync<ForecastDto>(HttpMethod.Get, $"/api/reports/forecast?scopeId={world.WestId}&period=2025-11")).Status);

        // The export: a row per rep with raw, factor and corrected, as CSV and XLSX; the same visibility.
        var csv = (await world.EastManager.GetTextAsync($"/api/reports/forecast/export?scopeId={world.EastId}&period=2025-11")).EnsureStatus(HttpStatusCode.OK).Body!;
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("repId,openDeals,pipeline,raw,factor,corrected,closedDeals,won,statedPercentSum,rawFactor", lines[0]);
        string N(decimal? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        Assert.Equal(forecast.Reps.Select(r => string.Join(',', r.RepId, r.OpenDeals, N(r.Pipeline), N(r.Raw), N(r.Calibration.Factor), N(r.Corrected),
            r.Calibration.ClosedDeals, r.Calibration.Won, r.Calibration.StatedPercentSum, N(r.Calibration.RawFactor))), lines.Skip(1));
        var (status, xlsx) = await world.Admin.GetBytesAsync($"/api/reports/forecast/export?format=xlsx&scopeId={world.EastId}&period=2025-11");
        Assert.Equal(HttpStatusCode.OK, status);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(forecast.Reps.Select(r => (r.RepId, (double)r.Corrected)),
            sheet.Select(r => ((string)r["repId"]!, Convert.ToDouble(r["corrected"], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.EastB.GetTextAsync($"/api/reports/forecast/export?scopeId={world.EastId}&period=2025-11")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.EastManager.GetTextAsync($"/api/reports/forecast/export?scopeId={world.WestId}&period=2025-11")).Status);
        var badExport = await world.Admin.SendAsync<ForecastDto>(HttpMethod.Get, "/api/reports/forecast/export?period=2025-11&format=pdf");
        Assert.Equal((HttpStatusCode.BadRequest, "format"), (badExport.Status, string.Join(",", badExport.ErrorFields)));
        var bad = await world.Admin.SendAsync<ForecastDto>(HttpMethod.Get, "/api/reports/forecast?period=2025-13");
        Assert.Equal((HttpStatusCode.BadRequest, "period"), (bad.Status, string.Join(",", bad.ErrorFields)));
    }

    private static async Task<string> OpenAsync(TargetsWorld world, Deal deal)
    {
        var customer = await world.CustomerOfAsync(deal.Rep, "Forecast");
        return (await deal.Rep.OpenDealAsync(customer.Id, new CreateDealRequest("Forecast deal", deal.Amount, "CNY", deal.Close, Probability: deal.Probability)))
            .EnsureStatus(HttpStatusCode.Created).Value!.Id;
    }
}

[Collection(ServerCollection.Name)]
public sealed class SqliteForecastApiTests(ServerFixture fixture) : ForecastApiTests
{
    protected override ServerProcess Server => fixture.Server;
}

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresForecastApiTests(PostgresServerFixture fixture) : ForecastApiTests
{
    protected override ServerProcess Server => fixture.Server;
}
