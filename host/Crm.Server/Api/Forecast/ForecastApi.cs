using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Forecast;
using Crm.Grains.Metrics;
using Crm.Server.Api.Common;
using Crm.Server.Api.Money;
using Crm.Server.Api.Exports;
using Crm.Server.Api.Targets;
using Crm.Server.Auth;
using Crm.Server.Permissions;
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
        var api = app.MapGroup("/api/reports/forecast").WithTags("Reports").RequireAuthorization();
        api.MapGet("/", Get);
        api.MapGet("/export", Export).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        return app;
    }

    private static async Task<Results<Ok<ForecastDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? scopeId, string? period, HttpContext http, ReportScopes scopes, ForecastQueries queries, RateStore rates, TimeProvider clock)
    {
        var (forecast, invalid, refused) = await ForecastAsync(scopeId, period, new Validation(), http, scopes, queries, rates, clock);
        return invalid is not null ? invalid : refused is not null ? refused : TypedResults.Ok(forecast!);
    }

    /// <summary><c>GET /api/reports/forecast/export?format=csv|xlsx&amp;scopeId=&amp;period=</c>: a row per rep, raw and corrected with its factor.</summary>
    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string? scopeId, string? period, string? format, HttpContext http, ReportScopes scopes, ForecastQueries queries, RateStore rates, AuditLog audit,
        TimeProvider clock)
    {
        var (forecast, invalid, refused) = await ForecastAsync(scopeId, period,
            new Validation().Check(format is null or "csv" or "xlsx", "format", "'format' is csv or xlsx."), http, scopes, queries, rates, clock);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var rows = forecast!.Reps.Select(r => new object?[]
        {
            r.RepId, r.OpenDeals, r.Pipeline, r.Raw, r.Calibration.Factor, r.Corrected, r.Calibration.ClosedDeals, r.Calibration.Won,
            r.Calibration.StatedPercentSum, r.Calibration.RawFactor,
        }).ToList();
        return await ReportFiles.WriteAsync("forecast", format ?? "csv", $"forecast-{forecast.Period}", rows,
            ["repId", "openDeals", "pipeline", "raw", "factor", "corrected", "closedDeals", "won", "statedPercentSum", "rawFactor"], http, audit, new()
            {
                ["scopeId"] = forecast.ScopeId,
                ["period"] = forecast.Period,
                ["baseCurrency"] = forecast.BaseCurrency,
            });
    }

    private static async Task<(ForecastDto? Forecast, ValidationProblem? Invalid, ProblemHttpResult? Refused)> ForecastAsync(
        string? scopeId, string? period, Validation validation, HttpContext http, ReportScopes scopes, ForecastQueries queries, RateStore rates, TimeProvider clock)
    {
        validation.MaxLength(scopeId, "scopeId", 64).CheckPeriod(period, targetPeriod: true, out var parsed);
        if (!validation.IsValid)
        {
            return (null, validation.ToProblem(), null);
        }

        var (scope, refused) = string.IsNullOrWhiteSpace(scopeId)
            ? (null, null)
            : await TargetsApi.VisibleScopeAsync(ReportScope.OrgUnit, scopeId.Trim(), http, scopes);
        if (refused is not null)
        {
            return (null, null, refused);
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
                Math.Round(raw * calibration.ExactFactor, 2, MidpointRounding.AwayFromZero),
                new CalibrationDto(calibration.ClosedDeals, calibration.Won, calibration.StatedPercentSum, calibration.AverageStated, calibration.WinRate,
                    calibration.RawFactor, Calibration.PriorDeals, calibration.Factor, Method)));
        }

        return (new ForecastDto(parsed.Text, parsed.From, parsed.To, scope?.Id, asOf, table.BaseCurrency, reps.Sum(r => r.OpenDeals),
            reps.Sum(r => r.Pipeline), reps.Sum(r => r.Raw), reps.Sum(r => r.Corrected), reps, missing.ToList()), null, null);
    }
}
