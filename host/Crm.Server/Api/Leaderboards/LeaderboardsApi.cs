using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Metrics;
using Crm.Grains.Org;
using Crm.Server.Api.Common;
using Crm.Server.Api.Exports;
using Crm.Server.Api.Targets;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Leaderboards;

/// <summary>
/// <c>GET /api/leaderboards?metric=&amp;period=day|week|month|quarter&amp;at=&amp;scopeId=&amp;level=rep|team&amp;limit=</c>:
/// the reps of a unit's subtree (or its child units, as teams) ranked by a metric over the period that holds
/// <c>at</c>, from the per-rep, per-day rows the metrics projection keeps (docs/reports.md), with each one's rank in
/// the previous period of the same kind.
/// </summary>
public static class LeaderboardsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    private static readonly Dictionary<string, PeriodKind> Periods = new(StringComparer.Ordinal)
    {
        ["day"] = PeriodKind.Day, ["week"] = PeriodKind.Week, ["month"] = PeriodKind.Month, ["quarter"] = PeriodKind.Quarter,
    };

    public static IEndpointRouteBuilder MapLeaderboardsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leaderboards").WithTags("Reports").RequireAuthorization();
        api.MapGet("/", Get);
        api.MapGet("/export", Export).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        return app;
    }

    private static async Task<Results<Ok<LeaderboardDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? metric, string? period, DateOnly? at, string? scopeId, string? level, int? limit, HttpContext http,
        LeaderboardAccess access, ReportScopes scopes, OrgTreeCache tree, MetricTotals totals, TimeProvider clock)
    {
        var (board, invalid, refused) = await BoardAsync(metric, period, at, scopeId, level, limit, null, http, access, scopes, tree, totals, clock);
        return invalid is not null ? invalid : refused is not null ? refused : TypedResults.Ok(board!);
    }

    /// <summary><c>GET /api/leaderboards/export?format=csv|xlsx&amp;…</c>: the same board as a file (every entry up to the limit).</summary>
    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string? metric, string? period, DateOnly? at, string? scopeId, string? level, int? limit, string? format, HttpContext http,
        LeaderboardAccess access, ReportScopes scopes, OrgTreeCache tree, MetricTotals totals, AuditLog audit, TimeProvider clock)
    {
        var (board, invalid, refused) = await BoardAsync(metric, period, at, scopeId, level, limit ?? MaxLimit, format ?? "csv", http, access, scopes, tree, totals, clock);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var rows = board!.Entries.Select(e => new object?[] { e.Rank, e.Id, e.Kind, e.Value, e.PreviousRank, e.PreviousValue, e.RankChange }).ToList();
        return await ReportFiles.WriteAsync("leaderboard", format ?? "csv", $"leaderboard-{board.Metric}-{board.Period}", rows,
            ["rank", "id", "kind", "value", "previousRank", "previousValue", "rankChange"], http, audit, new()
            {
                ["scopeId"] = board.ScopeId,
                ["metric"] = board.Metric,
                ["period"] = board.Period,
                ["level"] = board.Level,
            });
    }

    private static async Task<(LeaderboardDto? Board, ValidationProblem? Invalid, ProblemHttpResult? Refused)> BoardAsync(
        string? metric, string? period, DateOnly? at, string? scopeId, string? level, int? limit, string? format, HttpContext http,
        LeaderboardAccess access, ReportScopes scopes, OrgTreeCache tree, MetricTotals totals, TimeProvider clock)
    {
        var validation = new Validation()
            .Check(format is null or "csv" or "xlsx", "format", "'format' is csv or xlsx.")
            .Check(MetricNames.IsKnown(metric), "metric", $"'metric' must be one of {string.Join(", ", MetricNames.All)}.")
            .Check(period is null || Periods.ContainsKey(period), "period", "'period' must be day, week, month or quarter.")
            .Check(level is null or "rep" or "team", "level", "'level' must be rep or team.")
            .Date(at, "at")
            .Check(limit is null or >= 1 and <= MaxLimit, "limit", $"'limit' is 1 to {MaxLimit}.")
            .MaxLength(scopeId, "scopeId", 64);
        if (!validation.IsValid)
        {
            return (null, validation.ToProblem(), null);
        }

        var (scope, refused) = await access.ResolveAsync(scopeId, http.User);
        if (refused is not null)
        {
            return (null, null, refused);
        }

        var calendar = await scopes.CalendarOfAsync(scope!);
        var current = ReportPeriod.Of(Periods[period ?? "month"], at ?? calendar.LocalDate(clock.GetUtcNow()));
        var previous = current.Previous();
        var teams = level == "team";
        var candidates = teams ? (await scopes.BelowAsync(scope!)).Where(b => b.Kind == ReportScope.OrgUnit).ToList() : [];
        var now = await totals.SumAsync(scope!.People, metric!, current.From, current.To);
        var before = await totals.SumAsync(scope.People, metric!, previous.From, previous.To);

        IReadOnlyList<(string Id, decimal Now, decimal Before)> values;
        if (teams)
        {
            values = candidates.Select(c => (c.Id!, now.Of(c.People), before.Of(c.People))).ToList();
        }
        else
        {
            // The active reps of the subtree, and anyone else of it with a figure in either period (a manager who sold, a rep who left).
            var snapshot = await tree.SnapshotAsync();
            values = scope.People
                .Where(p => snapshot.Members.GetValueOrDefault(p) is { Active: true, Role: UserRole.Rep }
                            || now.PerPerson.GetValueOrDefault(p) != 0 || before.PerPerson.GetValueOrDefault(p) != 0)
                .Select(p => (p, now.PerPerson.GetValueOrDefault(p), before.PerPerson.GetValueOrDefault(p)))
                .ToList();
        }

        var previousValues = values.ToDictionary(v => v.Id, v => v.Before, StringComparer.Ordinal);
        var previousRanks = LeaderboardRanking.Rank(values.Select(v => (v.Id, v.Before))).ToDictionary(r => r.Id, r => r.Rank, StringComparer.Ordinal);
        var entries = LeaderboardRanking.Rank(values.Select(v => (v.Id, v.Now)))
            .Take(limit ?? DefaultLimit)
            .Select(r => new LeaderboardEntryDto(r.Rank, r.Id, teams ? "team" : "rep", r.Value, previousRanks[r.Id],
                previousValues[r.Id], previousRanks[r.Id] - r.Rank))
            .ToList();
        return (new LeaderboardDto(LeaderboardAccess.BoardOf(scope), teams ? "team" : "rep", metric!, current.Text, current.From, current.To,
            previous.Text, calendar.Definition.TimeZone, now.Currency, now.MissingRates.Union(before.MissingRates).Order(StringComparer.Ordinal).ToList(),
            values.Count, entries), null, null);
    }
}
