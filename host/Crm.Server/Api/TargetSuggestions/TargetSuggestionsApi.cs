using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Api.Exports;
using Crm.Server.Api.Targets;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.TargetSuggestions;

/// <summary>
/// Machine-suggested targets (docs/reports.md): from each scope's own history in the rep metrics, for the scopes a split
/// of the scope's target would write. Nothing is stored; a manager takes them as a split's manual shares, or not.
/// </summary>
public static class TargetSuggestionsApi
{
    public const decimal DefaultGrowth = 1.1m;
    public const string Method = "value = growth × (3 × last period + 2 × the one before + 1 × the one before that) / 6, rounded like the metric's targets";
    private static readonly int[] Weights = [3, 2, 1];

    public static IEndpointRouteBuilder MapTargetSuggestionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/targets/suggestions").WithTags("Targets").RequireAuthorization();
        api.MapGet("/", Get);
        api.MapGet("/export", Export).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        return app;
    }

    private static async Task<Results<Ok<TargetSuggestionsDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? scope, string? scopeId, string? period, string? metric, decimal? growth, HttpContext http, ReportScopes scopes, MetricTotals totals)
    {
        var (suggested, invalid, refused) = await SuggestAsync(scope, scopeId, period, metric, growth, new Validation(), http, scopes, totals);
        return invalid is not null ? invalid : refused is not null ? refused : TypedResults.Ok(suggested!);
    }

    /// <summary>
    /// <c>GET /api/targets/suggestions/export?format=csv|xlsx&amp;…</c>: a row per suggested scope, its value and the three
    /// periods it was weighed from (latest first).
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string? scope, string? scopeId, string? period, string? metric, decimal? growth, string? format, HttpContext http, ReportScopes scopes,
        MetricTotals totals, AuditLog audit)
    {
        var (suggested, invalid, refused) = await SuggestAsync(scope, scopeId, period, metric, growth,
            new Validation().Check(format is null or "csv" or "xlsx", "format", "'format' is csv or xlsx."), http, scopes, totals);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var rows = suggested!.Suggestions.Select(s => new object?[] { s.Scope, s.ScopeId, s.Value }
            .Concat(s.History.SelectMany(h => new object?[] { h.Period, h.Value })).ToArray()).ToList();
        var columns = new[] { "scope", "scopeId", "value" }
            .Concat(Enumerable.Range(1, Weights.Length).SelectMany(i => new[] { $"period{i}", $"value{i}" })).ToArray();
        return await ReportFiles.WriteAsync("target-suggestions", format ?? "csv", $"target-suggestions-{suggested.Metric}-{suggested.Period}", rows, columns,
            http, audit, new()
            {
                ["scope"] = suggested.Scope,
                ["scopeId"] = suggested.ScopeId,
                ["period"] = suggested.Period,
                ["metric"] = suggested.Metric,
                ["growth"] = suggested.Growth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
    }

    private static async Task<(TargetSuggestionsDto? Suggested, ValidationProblem? Invalid, ProblemHttpResult? Refused)> SuggestAsync(
        string? scope, string? scopeId, string? period, string? metric, decimal? growth, Validation validation, HttpContext http, ReportScopes scopes,
        MetricTotals totals)
    {
        var kind = scope ?? (scopeId is null ? ReportScope.Company : ReportScope.OrgUnit);
        validation.CheckScope(kind, scopeId).CheckPeriod(period, targetPeriod: true, out var parsed).CheckMetric(metric, required: true)
            .Check(growth is null or >= 0 and <= 10 && (growth is null || decimal.Round(growth.Value, 4) == growth), "growth", "'growth' is 0 to 10, at most 4 decimals.");
        if (!validation.IsValid)
        {
            return (null, validation.ToProblem(), null);
        }

        var (target, refused) = await TargetsApi.VisibleScopeAsync(kind, scopeId?.Trim(), http, scopes);
        if (refused is not null)
        {
            return (null, null, refused);
        }

        var below = target!.Kind == ReportScope.Rep ? [target] : await scopes.BelowAsync(target);
        var people = below.SelectMany(b => b.People).Distinct(StringComparer.Ordinal).ToList();
        var history = new List<(string Period, MetricSums Sums)>();
        for (var (past, i) = (parsed.Previous(), 0); i < Weights.Length; past = past.Previous(), i++)
        {
            history.Add((past.Text, await totals.SumAsync(people, metric!, past.From, past.To)));
        }

        var factor = growth ?? DefaultGrowth;
        var decimals = TargetRequests.DecimalsOf(metric!);
        var suggestions = below.Select(b =>
        {
            var values = history.Select(h => new PeriodValueDto(h.Period, h.Sums.Of(b.People))).ToList();
            var weighted = values.Select((v, i) => v.Value * Weights[i]).Sum() / Weights.Sum();
            return new TargetSuggestionDto(b.Kind, b.Id!, values, Math.Round(weighted * factor, decimals, MidpointRounding.AwayFromZero));
        }).ToList();
        return (new TargetSuggestionsDto(target.Kind, target.Id, parsed.Text, metric!, factor, Method, history[0].Sums.Currency, suggestions,
            suggestions.Sum(s => s.Value), history.SelectMany(h => h.Sums.MissingRates).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()), null, null);
    }
}
