using Crm.Grains.Common;
using System.Globalization;
using Crm.Client;
using Crm.Grains.Deals;
using Crm.Grains.Metrics;
using Crm.Grains.Org;
using Crm.Server.Api.Common;
using Crm.Server.Api.Exports;
using Crm.Server.Api.Targets;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Activity;

/// <summary>
/// <c>GET /api/reports/funnel</c> and <c>GET /api/reports/activity</c> (<c>?scopeId=&amp;from=&amp;to=</c>), and their
/// exports (<c>/export?format=csv|xlsx</c>), from the per-rep, per-day rows the activity projection keeps. A scope is an
/// org unit (with everything below it) or one rep; what the caller may see, as for target progress: an admin everything,
/// a manager its subtree, a rep itself. See docs/reports.md.
/// </summary>
public static class ActivityReportsApi
{
    /// <summary>The longest range a report covers: a year of days (a leap year's included).</summary>
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapActivityReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization();
        api.MapGet("/funnel", Funnel);
        api.MapGet("/activity", Activity);
        api.MapGet("/funnel/export", FunnelExport).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        api.MapGet("/activity/export", ActivityExport).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        return app;
    }

    /// <summary>What a report covers: <see cref="Reps"/> everyone of the scope (their rows are read), <see cref="Listed"/> the reps shown even without rows.</summary>
    private sealed record Request(ReportScope Scope, DateOnly From, DateOnly To, IReadOnlyList<string> Reps, IReadOnlySet<string> Listed)
    {
        public List<string> Shown(IReadOnlyList<ActivityRow> rows)
        {
            var withRows = rows.Select(r => r.RepId).ToHashSet(StringComparer.Ordinal);
            return Reps.Where(r => Listed.Contains(r) || withRows.Contains(r)).Order(StringComparer.Ordinal).ToList();
        }
    }

    private static async Task<Results<Ok<FunnelReportDto>, ValidationProblem, ProblemHttpResult>> Funnel(
        string? scopeId, DateOnly? from, DateOnly? to, HttpContext http, ReportScopes scopes, OrgTreeCache tree, ActivityStore store, DealCatalog deals,
        TimeProvider clock)
    {
        var (request, invalid, refused) = await ResolveAsync(scopeId, from, to, null, http, scopes, tree, clock);
        return invalid is not null ? invalid : refused is not null ? refused : TypedResults.Ok(await FunnelOfAsync(request!, store, deals));
    }

    private static async Task<Results<Ok<ActivityReportDto>, ValidationProblem, ProblemHttpResult>> Activity(
        string? scopeId, DateOnly? from, DateOnly? to, HttpContext http, ReportScopes scopes, OrgTreeCache tree, ActivityStore store, RepCalendars calendars,
        TimeProvider clock)
    {
        var (request, invalid, refused) = await ResolveAsync(scopeId, from, to, null, http, scopes, tree, clock);
        return invalid is not null ? invalid : refused is not null ? refused : TypedResults.Ok(await ActivityOfAsync(request!, store, calendars));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> FunnelExport(
        string? scopeId, DateOnly? from, DateOnly? to, string? format, HttpContext http, ReportScopes scopes, OrgTreeCache tree, ActivityStore store,
        DealCatalog deals, AuditLog audit, TimeProvider clock)
    {
        var (request, invalid, refused) = await ResolveAsync(scopeId, from, to, format ?? "csv", http, scopes, tree, clock);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var report = await FunnelOfAsync(request!, store, deals);
        string? Reasons(IReadOnlyList<ReasonCountDto> reasons) => string.Join("; ", reasons.Select(r => $"{r.Reason}: {r.Count}"));
        IEnumerable<object?[]> Lines(string rep, IReadOnlyList<FunnelStageDto> stages) => stages.Select(s => new object?[]
        {
            rep, s.PipelineId, s.StageKey, s.Entered, s.Advanced, s.Conversion, s.Won, s.Lost, Reasons(s.LoseReasons), s.Declined, Reasons(s.DeclineReasons),
        });
        var rows = Lines("", report.Stages).Concat(report.Reps.SelectMany(r => Lines(r.RepId, r.Stages))).ToList();
        return await ExportAsync("funnel", format ?? "csv", request!, rows,
            ["repId", "pipelineId", "stageKey", "entered", "advanced", "conversion", "won", "lost", "loseReasons", "declined", "declineReasons"], http, audit);
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ActivityExport(
        string? scopeId, DateOnly? from, DateOnly? to, string? format, HttpContext http, ReportScopes scopes, OrgTreeCache tree, ActivityStore store,
        RepCalendars calendars, AuditLog audit, TimeProvider clock)
    {
        var (request, invalid, refused) = await ResolveAsync(scopeId, from, to, format ?? "csv", http, scopes, tree, clock);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var report = await ActivityOfAsync(request!, store, calendars);
        var many = report.Comparison.ManyVisits.RepIds.ToHashSet(StringComparer.Ordinal);
        var rows = report.Reps.Select(r => new object?[]
        {
            r.RepId, r.WorkingDays, r.Calls, r.Visits, r.Notes, r.CheckIns, r.CallsPerWorkingDay, r.VisitsPerWorkingDay, r.NotesPerWorkingDay,
            string.Join("; ", r.FollowUpsByType.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}: {t.Value}")),
            r.Won, r.Lost, r.Conversion, many.Contains(r.RepId) ? "many" : "few",
        }).ToList();
        return await ExportAsync("activity", format ?? "csv", request!, rows,
            ["repId", "workingDays", "calls", "visits", "notes", "checkIns", "callsPerWorkingDay", "visitsPerWorkingDay", "notesPerWorkingDay",
                "followUpsByType", "won", "lost", "conversion", "visitsGroup"], http, audit);
    }

    private static async Task<FunnelReportDto> FunnelOfAsync(Request request, ActivityStore store, DealCatalog deals)
    {
        var rows = await store.ReadAsync(request.Reps, request.From, request.To, FunnelReport.Measures);
        var order = (await deals.GetAsync()).Pipelines.ToDictionary(p => p.Id, p => (IReadOnlyList<string>)p.Stages.Select(s => s.Key).ToList(), StringComparer.Ordinal);
        return FunnelReport.Build(request.Scope.Kind, request.Scope.Id, request.From, request.To, rows, order, request.Shown(rows));
    }

    private static async Task<ActivityReportDto> ActivityOfAsync(Request request, ActivityStore store, RepCalendars calendars)
    {
        var rows = await store.ReadAsync(request.Reps, request.From, request.To, ActivityReport.Measures);
        var each = new Dictionary<string, Grains.Calendars.WorkCalendar>(StringComparer.Ordinal);
        foreach (var rep in request.Shown(rows))
        {
            each[rep] = await calendars.ForRepAsync(rep);
        }

        return ActivityReport.Build(request.Scope.Kind, request.Scope.Id, request.From, request.To, rows, each);
    }

    /// <summary>
    /// Checks the input and resolves the scope the caller may see: none given, an admin's company, a manager's own unit,
    /// a rep itself; an org unit's id or a user's id otherwise. The reps reported are the active reps of the scope and
    /// anyone else of it (a manager, a departed rep) who has rows in the range.
    /// </summary>
    private static async Task<(Request? Request, ValidationProblem? Invalid, ProblemHttpResult? Refused)> ResolveAsync(string? scopeId, DateOnly? from, DateOnly? to, string? format,
        HttpContext http, ReportScopes scopes, OrgTreeCache tree, TimeProvider clock)
    {
        var validation = new Validation().MaxLength(scopeId, "scopeId", 64)
            .Date(from, "from").Date(to, "to")
            .Check(format is null or "csv" or "xlsx", "format", "'format' is csv or xlsx.");
        if (validation.IsValid && from is { } f && to is { } t)
        {
            validation.Check(f <= t, "from", "'from' comes before or on 'to'.")
                .Check(t.DayNumber - f.DayNumber < MaxDays, "to", $"A report covers at most {MaxDays} days.");
        }

        if (!validation.IsValid)
        {
            return (null, validation.ToProblem(), null);
        }

        var actor = http.User.ToActor();
        var id = string.IsNullOrWhiteSpace(scopeId) ? null : scopeId.Trim();
        var snapshot = await tree.SnapshotAsync();
        var kind = id is null
            ? actor.Role switch { UserRole.Admin => ReportScope.Company, UserRole.Manager => ReportScope.OrgUnit, _ => ReportScope.Rep }
            : snapshot.Paths.ContainsKey(id) ? ReportScope.OrgUnit : ReportScope.Rep;
        id ??= kind switch { ReportScope.OrgUnit => actor.OrgUnitId, ReportScope.Rep => actor.UserId, _ => null };
        if (kind == ReportScope.OrgUnit && id is null)
        {
            return (null, null, ApiResults.NotFound("Org unit", ""));
        }

        var (scope, refused) = await TargetsApi.VisibleScopeAsync(kind, id, http, scopes);
        if (refused is not null)
        {
            return (null, null, refused);
        }

        var calendar = await scopes.CalendarOfAsync(scope!);
        var last = to ?? calendar.LocalDate(clock.GetUtcNow());
        var first = from ?? last.AddDays(-29);
        if (first > last)
        {
            return (null, new Validation().Check(false, "from", "'from' comes before or on 'to'.").ToProblem(), null);
        }

        var active = scope!.People.Where(p => snapshot.Members.GetValueOrDefault(p) is { Active: true, Role: UserRole.Rep } || scope.Kind == ReportScope.Rep)
            .ToHashSet(StringComparer.Ordinal);
        return (new Request(scope, first, last, scope.People, active), null, null);
    }

    private static Task<FileContentHttpResult> ExportAsync(string report, string format, Request request,
        IReadOnlyList<object?[]> rows, string[] columns, HttpContext http, AuditLog audit) =>
        ReportFiles.WriteAsync(report, format, $"{report}-{MetricStore.Day(request.From)}-{MetricStore.Day(request.To)}", rows, columns, http, audit, new()
        {
            ["scope"] = request.Scope.Kind,
            ["scopeId"] = request.Scope.Id,
            ["from"] = MetricStore.Day(request.From),
            ["to"] = MetricStore.Day(request.To),
        });
}
