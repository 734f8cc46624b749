using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Metrics;
using Crm.Grains.Targets;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Targets;

/// <summary>
/// Targets (快目标): managers and admins set them for the scopes they see and split them down the tree; everyone reads
/// the targets and the progress of what it sees (a rep: its own). See docs/reports.md.
/// </summary>
public static class TargetsApi
{
    private const int MaxList = 1000;

    public static IEndpointRouteBuilder MapTargetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/targets").WithTags("Targets").RequireAuthorization();
        api.MapPut("/", Set).RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapGet("/", List);
        api.MapGet("/progress", TargetProgress.Get);
        api.MapPost("/{id}/split", Split).RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Ok<TargetDto>, ValidationProblem, ProblemHttpResult>> Set(
        TargetRequest request, HttpContext http, ReportScopes scopes, TargetStore targets)
    {
        var validation = new Validation().CheckScope(request.Scope, request.ScopeId).CheckPeriod(request.Period, targetPeriod: true, out var period)
            .CheckMetric(request.Metric, required: true).Require(request.Value, "value").CheckValue(request.Value, request.Metric, "value");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (scope, refused) = await VisibleScopeAsync(request.Scope!, request.ScopeId?.Trim(), http, scopes);
        if (refused is not null)
        {
            return refused;
        }

        var row = (await targets.SetAsync([(scope!, period.Text, request.Metric!, request.Value!.Value)], parentId: null))[0];
        return TypedResults.Ok(row.ToDto());
    }

    private static async Task<Results<Ok<IReadOnlyList<TargetDto>>, ValidationProblem>> List(
        string? period, string? scope, string? scopeId, HttpContext http, TargetStore targets)
    {
        var validation = new Validation().MaxLength(scopeId, "scopeId", 64)
            .Check(scope is null || ReportScope.IsKind(scope), "scope", "'scope' must be company, orgUnit or rep.");
        var parsed = period is null ? null : validation.CheckPeriod(period, targetPeriod: true, out var p).IsValid ? p : null;
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var rows = await targets.ListAsync(http.User.ToVisibility(), parsed?.Text, scope, scope == ReportScope.Company ? "" : scopeId, MaxList);
        IReadOnlyList<TargetDto> list = rows.Select(r => r.ToDto()).ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<TargetSplitDto>, ValidationProblem, ProblemHttpResult>> Split(
        string id, TargetSplitRequest request, HttpContext http, ReportScopes scopes, TargetStore targets, MetricTotals totals)
    {
        var validation = new Validation().MaxLength(id, "id", 64)
            .Check(request.By is "even" or "history" or "manual", "by", "'by' must be even, history or manual.")
            .Check(request.By == "manual" || request.Shares is null, "shares", "'shares' are for a manual split.")
            .Check(request.By != "manual" || request.Shares is { Count: > 0 }, "shares", "A manual split lists the share of every scope below.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var target = await targets.GetAsync(id);
        var (scope, refused) = target is null ? (null, ApiResults.NotFound("Target", id)) : await VisibleScopeAsync(target.Scope, target.ScopeId == "" ? null : target.ScopeId, http, scopes);
        if (refused is not null)
        {
            return refused is ProblemHttpResult { StatusCode: 403 } ? ApiResults.NotFound("Target", id) : refused;
        }

        var below = await scopes.BelowAsync(scope!);
        if (below.Count == 0)
        {
            return ApiResults.Problem(new CrmError(ErrorCodes.NothingBelow, "Nothing lies below this target's scope to split it among.", 409));
        }

        var parts = request.By switch
        {
            "even" => TargetSplitter.Split(target!.Value, below.Select(_ => 1m).ToList(), TargetRequests.DecimalsOf(target.Metric)),
            "history" => await ByHistoryAsync(target!, below, totals),
            _ => ManualParts(request.Shares!, below, target!, validation),
        };
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var parent = target!;
        var rows = await targets.SetAsync(below.Select((b, i) => (b, parent.Period, parent.Metric, parts[i])).ToList(), parent.Id);
        return TypedResults.Ok(new TargetSplitDto(parent.Id, request.By!, rows.Select(r => r.ToDto()).ToList()));
    }

    /// <summary>In proportion to each scope's result over the previous period of the same kind (even when nobody had any).</summary>
    private static async Task<IReadOnlyList<decimal>> ByHistoryAsync(TargetStore.TargetRow target, IReadOnlyList<ReportScope> below, MetricTotals totals)
    {
        ReportPeriod.TryParse(target.Period, out var period);
        var previous = period.Previous();
        var sums = await totals.SumAsync(below.SelectMany(b => b.People).ToList(), target.Metric, previous.From, previous.To);
        return TargetSplitter.Split(target.Value, below.Select(b => sums.Of(b.People)).ToList(), TargetRequests.DecimalsOf(target.Metric));
    }

    private static IReadOnlyList<decimal> ManualParts(IReadOnlyList<TargetShare> shares, IReadOnlyList<ReportScope> below, TargetStore.TargetRow target,
        Validation validation)
    {
        for (var i = 0; i < shares.Count; i++)
        {
            validation.Check(below.Any(b => b.Id == shares[i].ScopeId), $"shares[{i}].scopeId", "Not a scope right below the target's scope.")
                .Require(shares[i].Value, $"shares[{i}].value").CheckValue(shares[i].Value, target.Metric, $"shares[{i}].value");
        }

        validation.Check(below.All(b => shares.Count(s => s.ScopeId == b.Id) == 1), "shares",
                $"Name each scope below exactly once: {string.Join(", ", below.Select(b => b.Id))}.")
            .Check(!validation.IsValid || shares.Sum(s => s.Value ?? 0) == target.Value, "shares", $"The shares must add up to the target, {target.Value}.");
        return validation.IsValid ? below.Select(b => shares.Single(s => s.ScopeId == b.Id).Value!.Value).ToList() : [];
    }

    /// <summary>The scope if it exists and the caller sees it: 404 when it does not exist or lies outside, 403 for the company to a manager.</summary>
    internal static async Task<(ReportScope? Scope, ProblemHttpResult? Refused)> VisibleScopeAsync(string kind, string? id, HttpContext http, ReportScopes scopes)
    {
        var scope = await scopes.ResolveAsync(kind, id);
        if (scope is null)
        {
            return (null, ApiResults.NotFound(kind == ReportScope.Rep ? "Rep" : "Org unit", id ?? ""));
        }

        var caller = http.User.ToVisibility();
        if (scope.IsVisibleTo(caller))
        {
            return (scope, null);
        }

        return (null, scope.Kind == ReportScope.Company || caller.Role == UserRole.Rep
            ? ApiResults.Problem(CrmError.Forbidden("Only what lies in your part of the org: a manager its subtree, a rep itself."))
            : ApiResults.NotFound(kind == ReportScope.Rep ? "Rep" : "Org unit", id ?? ""));
    }
}
