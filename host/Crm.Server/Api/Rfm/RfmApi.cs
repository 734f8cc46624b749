using System.Globalization;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Metrics;
using Crm.Grains.Rfm;
using Crm.Server.Api.Common;
using Crm.Server.Api.Exports;
using Crm.Server.Api.Forecast;
using Crm.Server.Api.TargetSuggestions;
using Crm.Server.Api.Targets;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Rfm;

/// <summary>
/// RFM segments of the customers a caller sees, their moves between two days, the company's RFM settings, and a rep's
/// repurchase list (docs/reports.md). Everything reads the purchase projection, never the event log.
/// </summary>
public static class RfmApi
{
    public static IEndpointRouteBuilder MapRfmApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports/rfm").WithTags("Reports").RequireAuthorization();
        api.MapGet("/", Report);
        api.MapGet("/export", Export).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        api.MapGet("/moves", Moves);
        api.MapGet("/settings", (RfmSettingsStore settings) => settings.GetAsync());
        api.MapPut("/settings", SetSettings).RequireAuthorization(Policies.Admin);
        app.MapGroup("/api/reps").WithTags("Reports").RequireAuthorization().MapGet("/{id}/repurchase", Repurchase);
        return app.MapForecastApi().MapTargetSuggestionsApi();
    }

    private static async Task<Results<Ok<RfmReportDto>, ValidationProblem, ProblemHttpResult>> Report(
        string? scopeId, DateOnly? at, string? segment, string? ownerId, int? page, int? pageSize, HttpContext http, ReportScopes scopes, RfmReports reports,
        TimeProvider clock)
    {
        var (scored, invalid, refused) = await ScoredAsync(scopeId, at, segment, ownerId, new Validation().CheckPaging(page, pageSize), http, scopes, reports, clock);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var (scoring, scope, listed) = scored!.Value;
        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        var items = listed.Skip(offset).Take(limit).Select(ToDto).ToList();
        return TypedResults.Ok(new RfmReportDto(scoring.AsOf, scope?.Id, scoring.BaseCurrency, scoring.ThresholdsDto(), scoring.Customers.Count,
            scoring.Counts(), new Page<RfmCustomerDto>(items, listed.Count), scoring.MissingRates));
    }

    /// <summary>An RFM export is built in memory (the list is scored whole): its bound, documented in reports.md.</summary>
    private const int MaxExportRows = 100_000;

    /// <summary>
    /// <c>GET /api/reports/rfm/export?format=csv|xlsx&amp;scopeId=&amp;at=&amp;segment=&amp;ownerId=</c>: every customer the report
    /// would list (the most money first, at most <see cref="MaxExportRows"/>), with its figures and segment.
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string? scopeId, DateOnly? at, string? segment, string? ownerId, string? format, HttpContext http, ReportScopes scopes, RfmReports reports,
        AuditLog audit, TimeProvider clock)
    {
        var (scored, invalid, refused) = await ScoredAsync(scopeId, at, segment, ownerId,
            new Validation().Check(format is null or "csv" or "xlsx", "format", "'format' is csv or xlsx."), http, scopes, reports, clock);
        if (invalid is not null || refused is not null)
        {
            return invalid is not null ? invalid : refused!;
        }

        var (scoring, scope, listed) = scored!.Value;
        var rows = listed.Take(MaxExportRows).Select(ToDto).Select(c => new object?[]
        {
            c.CustomerId.ToString(), c.Name, c.OwnerId, c.LastPurchase.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.RecencyDays, c.Frequency,
            c.Monetary, c.Segment,
        }).ToList();
        return await ReportFiles.WriteAsync("rfm", format ?? "csv", $"rfm-{scoring.AsOf:yyyy-MM-dd}", rows,
            ["customerId", "name", "ownerId", "lastPurchase", "recencyDays", "frequency", "monetary", "segment"], http, audit, new()
            {
                ["scopeId"] = scope?.Id,
                ["asOf"] = scoring.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["segment"] = segment,
                ["ownerId"] = ownerId,
            });
    }

    /// <summary>The scope's customers scored on the day, and those the list shows (segment and ownerId narrow it), the most money first.</summary>
    private static async Task<((RfmScoring Scoring, ReportScope? Scope, List<RfmScored> Listed)? Scored, ValidationProblem? Invalid, ProblemHttpResult? Refused)>
        ScoredAsync(string? scopeId, DateOnly? at, string? segment, string? ownerId, Validation validation, HttpContext http, ReportScopes scopes,
            RfmReports reports, TimeProvider clock)
    {
        validation.MaxLength(scopeId, "scopeId", 64).MaxLength(ownerId, "ownerId", 64).Date(at, "at")
            .Check(segment is null || RfmSegments.All.Contains(segment), "segment", $"'segment' is one of {string.Join(", ", RfmSegments.All)}.");
        if (!validation.IsValid)
        {
            return (null, validation.ToProblem(), null);
        }

        var (scope, refused) = await ScopeAsync(scopeId, http, scopes);
        if (refused is not null)
        {
            return (null, null, refused);
        }

        var today = (await CalendarAsync(scope, scopes)).LocalDate(clock.GetUtcNow());
        var scoring = await reports.ScoreAsync(http.User.ToVisibility(), scope, at ?? today, today: at is null);
        // segment and ownerId choose whom to list; the thresholds and counts stay those of the whole scope.
        var listed = scoring.Customers.Where(c => (segment is null || c.Segment == segment) && (ownerId is null || c.Purchases.OwnerId == ownerId))
            .OrderByDescending(c => c.Figures.Monetary).ThenBy(c => c.Figures.CustomerId).ToList();
        return ((scoring, scope, listed), null, null);
    }

    private static RfmCustomerDto ToDto(RfmScored c) => new(c.Figures.CustomerId, c.Purchases.Name, c.Purchases.OwnerId,
        c.Purchases.Summary.LastPurchase!.Value, c.Figures.RecencyDays, c.Figures.Frequency, c.Figures.Monetary, c.Segment);

    private static async Task<Results<Ok<RfmMovesDto>, ValidationProblem, ProblemHttpResult>> Moves(
        string? scopeId, DateOnly? from, DateOnly? to, HttpContext http, ReportScopes scopes, RfmReports reports)
    {
        var validation = new Validation().MaxLength(scopeId, "scopeId", 64).Require(from, "from").Require(to, "to").Date(from, "from").Date(to, "to")
            .Check(from is null || to is null || from < to, "to", "'to' comes after 'from'.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (scope, refused) = await ScopeAsync(scopeId, http, scopes);
        if (refused is not null)
        {
            return refused;
        }

        var caller = http.User.ToVisibility();
        var before = await reports.ScoreAsync(caller, scope, from!.Value, today: false);
        var after = await reports.ScoreAsync(caller, scope, to!.Value, today: false);
        var was = before.Customers.ToDictionary(c => c.Figures.CustomerId, c => c.Segment);
        var moves = after.Customers
            .GroupBy(c => (From: was.GetValueOrDefault(c.Figures.CustomerId) ?? "none", To: c.Segment))
            .Select(g => new RfmMoveDto(g.Key.From, g.Key.To, g.Count()))
            .OrderByDescending(m => m.Count).ThenBy(m => m.From, StringComparer.Ordinal).ThenBy(m => m.To, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new RfmMovesDto(from.Value, to.Value, scope?.Id, before.ThresholdsDto(), after.ThresholdsDto(), before.Counts(), after.Counts(), moves));
    }

    private static async Task<Results<Ok<RfmSettingsDto>, ValidationProblem>> SetSettings(
        RfmSettingsRequest request, HttpContext http, RfmSettingsStore settings, TimeProvider clock)
    {
        var fixedValues = request.Method == RfmThresholds.Fixed;
        var validation = new Validation()
            .Check(request.Method is RfmThresholds.Fixed or RfmThresholds.Quantiles, "method", "'method' is thresholds or quantiles.")
            .Check(!fixedValues || request.RecencyDays is >= 0 and <= 36_500, "recencyDays", "'recencyDays' is 0 to 36500 days.")
            .Check(!fixedValues || request.Frequency is >= 1 and <= 1_000_000, "frequency", "'frequency' is 1 to 1000000 purchase days.")
            .Check(!fixedValues || request.Monetary is >= 0 and <= 1_000_000_000_000m, "monetary", "'monetary' is 0 to 10^12 in the base currency.")
            .Check(request.Monetary is null || decimal.Round(request.Monetary.Value, 2) == request.Monetary, "monetary", "'monetary' has at most two decimals.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        await settings.SetAsync(request, http.User.ToActor().UserId, clock.GetUtcNow());
        return TypedResults.Ok(await settings.GetAsync());
    }

    /// <summary>
    /// <c>GET /api/reps/{id}/repurchase?at=</c>: the rep's customers due to buy again or at risk of churning on a day (the
    /// rep's local today by default), churn risks first. The rep itself, managers above it, admins.
    /// </summary>
    private static async Task<Results<Ok<RepurchaseListDto>, ValidationProblem, ProblemHttpResult>> Repurchase(
        string id, DateOnly? at, HttpContext http, UserDirectory users, RepCalendars calendars, PurchaseStore purchases, TimeProvider clock)
    {
        var validation = new Validation().MaxLength(id, "id", 64).Date(at, "at");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!await users.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Rep", id);
        }

        var day = at ?? (await calendars.ForRepAsync(id)).LocalDate(clock.GetUtcNow());
        var found = at is null
            ? await purchases.OfOwnersAsync([id])
            : await purchases.AsOfAsync("c.owner_id = @owner", new DynamicParameters(new { owner = id }), day);
        var items = RepurchaseMorning.Order(found
            .Select(p => (p.Name, Status: RepurchaseRules.StatusOn(p.Summary, day)))
            .Where(p => p.Status is not null)
            .Select(p => RepurchaseMorning.ToDto(p.Status!, p.Name)));
        return TypedResults.Ok(new RepurchaseListDto(id, day, items));
    }

    /// <summary>No scopeId: everything the caller sees. An org unit: a manager's subtree or below (another: 404), not for a rep (403).</summary>
    private static async Task<(ReportScope? Scope, ProblemHttpResult? Refused)> ScopeAsync(string? scopeId, HttpContext http, ReportScopes scopes) =>
        string.IsNullOrWhiteSpace(scopeId) ? (null, null) : await TargetsApi.VisibleScopeAsync(ReportScope.OrgUnit, scopeId.Trim(), http, scopes);

    private static async Task<Crm.Grains.Calendars.WorkCalendar> CalendarAsync(ReportScope? scope, ReportScopes scopes) =>
        scope is null ? Crm.Grains.Calendars.WorkCalendar.Default : await scopes.CalendarOfAsync(scope);
}
