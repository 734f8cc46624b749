using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Api.Targets;
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
        app.MapGroup("/api/targets/suggestions").WithTags("Targets").RequireAuthorization().MapGet("/", Get);
        return app;
    }

    private static async Task<Results<Ok<TargetSuggestionsDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? scope, string? scopeId, string? period, string? metric, decimal? growth, HttpContext http, ReportScopes scopes, MetricTotals totals)
    {
        var kind = scope ?? (scopeId is null ? ReportScope.Company : ReportScope.OrgUnit);
        var validation = new Validation().CheckScope(kind, scopeId).CheckPeriod(period, targetPeriod: true, out var parsed).CheckMetric(metric, required: true)
            .Check(growth is null or >= 0 and <= 10 && (growth is null || decimal.Round(growth.Value, 4) == growth), "growth", "'growth' is 0 to 10, at most 4 decimals.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (target, refused) = await TargetsApi.VisibleScopeAsync(kind, scopeId?.Trim(), http, scopes);
        if (refused is not null)
        {
            return refused;
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
        return TypedResults.Ok(new TargetSuggestionsDto(target.Kind, target.Id, parsed.Text, metric!, factor, Method, history[0].Sums.Currency, suggestions,
            suggestions.Sum(s => s.Value), history.SelectMany(h => h.Sums.MissingRates).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()));
    }
}
