using Crm.Client;
using Crm.Grains.Metrics;
using Crm.Server.Api.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Targets;

/// <summary>
/// <c>GET /api/targets/progress?scope=&amp;scopeId=&amp;period=&amp;at=&amp;metric=</c>: each metric's value so far (days up to
/// <c>at</c>, by default the latest local today of the scope's calendar and its people's), its target, the rate, and what the target expects by then: target ×
/// working days elapsed / working days of the period in the scope's unit calendar.
/// </summary>
internal static class TargetProgress
{
    public static async Task<Results<Ok<TargetProgressReport>, ValidationProblem, ProblemHttpResult>> Get(
        string? scope, string? scopeId, string? period, DateOnly? at, string? metric, HttpContext http,
        ReportScopes scopes, TargetStore targets, MetricTotals totals, TimeProvider clock)
    {
        var validation = new Validation().CheckScope(scope, scopeId).CheckPeriod(period, targetPeriod: false, out var parsed)
            .CheckMetric(metric, required: false)
            .Date(at, "at");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (resolved, refused) = await TargetsApi.VisibleScopeAsync(scope!, scopeId?.Trim(), http, scopes);
        if (refused is not null)
        {
            return refused;
        }

        var calendar = await scopes.CalendarOfAsync(resolved!);
        var asOf = at ?? await scopes.TodayAsync(resolved!, clock.GetUtcNow());
        var upTo = asOf < parsed.To ? asOf.AddDays(1) : parsed.To;
        var workingDays = calendar.WorkingDaysBetween(parsed.From, parsed.To);
        var elapsed = upTo <= parsed.From ? 0 : calendar.WorkingDaysBetween(parsed.From, upTo);
        var set = (await targets.OfScopeAsync(resolved!, parsed.Text)).ToDictionary(t => t.Metric, StringComparer.Ordinal);
        var items = new List<TargetProgressDto>();
        foreach (var m in metric is null ? MetricNames.All : [metric])
        {
            var sums = await totals.SumAsync(resolved!.People, m, parsed.From, upTo < parsed.From ? parsed.From : upTo);
            var target = set.GetValueOrDefault(m);
            var expected = target is null || workingDays == 0 ? (decimal?)null : Math.Round(target.Value * elapsed / workingDays, 2, MidpointRounding.AwayFromZero);
            var rate = target is { Value: > 0 } ? Math.Round(sums.Total / target.Value, 4, MidpointRounding.AwayFromZero) : (decimal?)null;
            items.Add(new TargetProgressDto(m, sums.Total, target?.Value, rate, expected, workingDays, elapsed, target?.Id, sums.Currency, sums.MissingRates));
        }

        return TypedResults.Ok(new TargetProgressReport(resolved!.Kind, resolved.Id, parsed.Text, parsed.From, parsed.To, asOf,
            calendar.Definition.TimeZone, items));
    }
}
