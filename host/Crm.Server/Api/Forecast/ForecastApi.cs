using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Forecast;
using Crm.Grains.Metrics;
using Crm.Server.Api.Common;
using Crm.Server.Api.Money;
using Crm.Server.Api.Targets;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Forecast;

/// <summary>
/// <c>GET /api/reports/forecast?scopeId=&amp;period=</c>: Σ amount × probability of the open deals expected to close in
/// the period, per rep raw and corrected by the rep's calibration, with how the factor was computed (docs/reports.md).
/// </summary>
public static class ForecastApi
{
    public const string Method = "factor = (n × won × 100 / Σ stated + k) / (n + k), n closed deals, k prior deals as stated; 1 without closed deals";

    public static IEndpointRouteBuilder MapForecastApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reports/forecast").WithTags("Reports").RequireAuthorization().MapGet("/", Get);
        return app;
    }

    private static async Task<Results<Ok<ForecastDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? scopeId, string? period, HttpContext http, ReportScopes scopes, ForecastQueries queries, RateStore rates, TimeProvider clock)
    {
        var validation = new Validation().MaxLength(scopeId, "scopeId", 64).CheckPeriod(period, targetPeriod: true, out var parsed);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (scope, refused) = string.IsNullOrWhiteSpace(scopeId)
            ? (null, null)
            : await TargetsApi.VisibleScopeAsync(ReportScope.OrgUnit, scopeId.Trim(), http, scopes);
        if (refused is not null)
        {
            return refused;
        }

        var calendar = scope is null ? WorkCalendar.Default : await scopes.CalendarOfAsync(scope);
        var asOf = calendar.LocalDate(clock.GetUtcNow());
        var open = await queries.OpenAsync(http.User.ToVisibility(), scope, parsed.From, parsed.To);
        var table = await rates.TableAsync(open.Select(o => o.Currency).Distinct(StringComparer.Ordinal).ToList(), asOf);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var calibrations = await queries.CalibrationsAsync(open.Select(o => o.RepId).Distinct(StringComparer.Ordinal).ToList());
        var reps = new List<RepForecastDto>();
        foreach (var rep in open.GroupBy(o => o.RepId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            decimal pipeline = 0, raw = 0;
            foreach (var currency in rep.GroupBy(o => o.Currency, StringComparer.Ordinal))
            {
                var amount = currency.Sum(o => o.AmountE4) / 10_000m;
                var weighted = currency.Sum(o => o.AmountE4 / 10_000m * o.Probability / 100m);
                if (table.ToBase(amount, currency.Key, asOf) is { } inBase && table.ToBase(weighted, currency.Key, asOf) is { } weightedInBase)
                {
                    pipeline += inBase;
                    raw += weightedInBase;
                }
                else
                {
                    missing.Add(currency.Key);
                }
            }

            var calibration = calibrations.GetValueOrDefault(rep.Key) ?? Calibration.None;
            reps.Add(new RepForecastDto(rep.Key, (int)rep.Sum(o => o.Deals), pipeline, raw,
                Math.Round(raw * calibration.Factor, 2, MidpointRounding.AwayFromZero),
                new CalibrationDto(calibration.ClosedDeals, calibration.Won, calibration.StatedPercentSum, calibration.AverageStated, calibration.WinRate,
                    calibration.RawFactor, Calibration.PriorDeals, calibration.Factor, Method)));
        }

        return TypedResults.Ok(new ForecastDto(parsed.Text, parsed.From, parsed.To, scope?.Id, asOf, table.BaseCurrency, reps.Sum(r => r.OpenDeals),
            reps.Sum(r => r.Pipeline), reps.Sum(r => r.Raw), reps.Sum(r => r.Corrected), reps, missing.ToList()));
    }
}
