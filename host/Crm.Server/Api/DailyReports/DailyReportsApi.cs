using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.DailyReports;
using Crm.Grains.Metrics;
using Crm.Grains.Org;
using Crm.Grains.Push;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.DailyReports;

/// <summary>
/// Daily reports per rep (docs/daily-reports.md): read on demand or as generated at the unit's report time, the rep's
/// comments and plan, managers' replies, the report time per unit, and exports. A rep reaches its own reports, a manager
/// those of the reps in its subtree, an admin all.
/// </summary>
public static class DailyReportsApi
{
    public const int MaxText = 4000;

    public static IEndpointRouteBuilder MapDailyReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports/daily").WithTags("Daily reports").RequireAuthorization();
        reports.MapGet("/", Get);
        reports.MapGet("/export", DailyReportExport.Export).ProducesFile(FileAnswers.Csv, FileAnswers.Xlsx);
        reports.MapGet("/{id}", GetById);
        reports.MapPut("/{id}", SetNotes);
        reports.MapPost("/{id}/replies", Reply).RequireAuthorization(Policies.ManagerOrAdmin);

        var settings = app.MapGroup("/api/org-units/{id}/daily-report").WithTags("Daily reports").RequireAuthorization();
        settings.MapGet("/", GetSetting);
        settings.MapPut("/", SetSetting).RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>
    /// The report of a rep's local day (default: today). A stored report as it was generated; a past day, or today once
    /// the unit's report time has come, is generated and stored now; today before that time is a preview (no id).
    /// </summary>
    private static async Task<Results<Ok<DailyReportDto>, ValidationProblem, ProblemHttpResult>> Get(string? repId, string? date, HttpContext http,
        OrgTreeCache tree, RepCalendars calendars, DailyReportSettings settings, DailyReportGenerator generator, DailyReportStore store,
        IOptions<DailyReportOptions> options, TimeProvider clock)
    {
        var validation = new Validation().Require(repId, "repId", 64)
            .Check(DailyReportDates.IsWellFormed(date), "date", "'date' must be a local date as yyyy-MM-dd.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (member, refused) = await VisibleRepAsync(repId!.Trim(), http, tree);
        if (refused is not null)
        {
            return refused;
        }

        var calendar = await calendars.ForRepAsync(member!.UserId);
        var now = clock.GetUtcNow();
        var today = calendar.LocalDate(now);
        var (asked, problem) = DailyReportDates.Check(date, today, options.Value.MaxDaysBack);
        if (problem is not null)
        {
            return new Validation().Check(false, "date", problem).ToProblem();
        }

        if (await store.GetAsync(DailyReportStore.IdOf(member.UserId, asked)) is { } stored)
        {
            return TypedResults.Ok(await DtoAsync(stored, calendar.Definition.TimeZone, store));
        }

        if (!calendar.IsWorkingDay(asked))
        {
            return ApiResults.Problem(new CrmError(ErrorCodes.NotFound, $"{DailyReportStore.Day(asked)} is a day off in the rep's calendar: it has no daily report.", 404));
        }

        var (time, _) = await settings.ForUnitAsync(member.OrgUnitId);
        if (asked == today && now < calendar.LocalAt(today, time))
        {
            var preview = await generator.FiguresAsync(member.UserId, asked, calendar);
            return TypedResults.Ok(new DailyReportDto(null, member.UserId, asked, calendar.Definition.TimeZone, false, null, preview, null, null, null, []));
        }

        var (report, _) = await generator.GenerateAsync(member.UserId, asked);
        return TypedResults.Ok(await DtoAsync(report, calendar.Definition.TimeZone, store));
    }

    private static async Task<Results<Ok<DailyReportDto>, ValidationProblem, ProblemHttpResult>> GetById(string id, HttpContext http, OrgTreeCache tree,
        RepCalendars calendars, DailyReportStore store)
    {
        var (report, refused) = await VisibleReportAsync(id, http, tree, store);
        if (refused is not null)
        {
            return refused;
        }

        var calendar = await calendars.ForRepAsync(report!.RepId);
        return TypedResults.Ok(await DtoAsync(report, calendar.Definition.TimeZone, store));
    }

    /// <summary>The rep's own comments on the day and plan for tomorrow; only the rep itself writes them.</summary>
    private static async Task<Results<Ok<DailyReportDto>, ValidationProblem, ProblemHttpResult>> SetNotes(string id, DailyReportNotesRequest request,
        HttpContext http, OrgTreeCache tree, RepCalendars calendars, DailyReportStore store, TimeProvider clock)
    {
        var validation = new Validation().MaxLength(request.Comments, "comments", MaxText).MaxLength(request.Plan, "plan", MaxText)
            .Check(request.Comments is not null || request.Plan is not null, "comments", "Give 'comments', 'plan' or both.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (report, refused) = await VisibleReportAsync(id, http, tree, store);
        if (refused is not null)
        {
            return refused;
        }

        if (report!.RepId != http.User.ToActor().UserId)
        {
            return ApiResults.Problem(CrmError.Forbidden("Only the rep writes the comments and plan of its own report; managers reply."));
        }

        await store.SetNotesAsync(report.Id, Clean(request.Comments) ?? report.Comments, Clean(request.Plan) ?? report.Plan, clock.GetUtcNow());
        var calendar = await calendars.ForRepAsync(report.RepId);
        return TypedResults.Ok(await DtoAsync((await store.GetAsync(report.Id))!, calendar.Definition.TimeZone, store));
    }

    /// <summary>A manager's (or an admin's) reply on a report of a rep below it; the rep is told (<see cref="DailyReportReplied"/>).</summary>
    private static async Task<Results<Created<DailyReportReplyDto>, ValidationProblem, ProblemHttpResult>> Reply(string id, DailyReportReplyRequest request,
        HttpContext http, OrgTreeCache tree, DailyReportStore store, IGrainFactory grains, TimeProvider clock)
    {
        var validation = new Validation().Require(request.Text, "text", MaxText);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (report, refused) = await VisibleReportAsync(id, http, tree, store);
        if (refused is not null)
        {
            return refused;
        }

        if (await store.ReplyCountAsync(report!.Id) >= 200)
        {
            return ApiResults.Problem(CrmError.Conflict("too-many-replies", "A report takes at most 200 replies."));
        }

        var author = http.User.ToActor().UserId;
        var reply = new DailyReportReplyDto("r-" + Guid.NewGuid().ToString("N")[..16], author, request.Text!.Trim(), clock.GetUtcNow());
        await store.AddReplyAsync(report.Id, reply);
        var told = EventPublisher.ToMessage(new DailyReportReplied(report.Id, reply.At, report.RepId, report.Date, reply.Id, author, reply.Text))
            with { Key = $"daily-report-reply:{report.Id}:{reply.Id}" };
        await grains.GetGrain<IPushChannelGrain>(PushChannels.Rep(report.RepId)).Route(told);
        return TypedResults.Created($"/api/reports/daily/{report.Id}", reply);
    }

    private static async Task<Results<Ok<DailyReportSettingDto>, ProblemHttpResult>> GetSetting(string id, HttpContext http, OrgUnitDirectory units,
        DailyReportSettings settings, Crm.Grains.Calendars.CalendarDirectory calendars)
    {
        if (await units.GetAsync(id) is not { } unit || !http.User.ToVisibility().Reaches(unit.Path))
        {
            return ApiResults.NotFound("Org unit", id);
        }

        return TypedResults.Ok(await SettingAsync(id, settings, calendars));
    }

    private static async Task<Results<Ok<DailyReportSettingDto>, ValidationProblem, ProblemHttpResult>> SetSetting(string id, DailyReportSettingRequest request,
        OrgUnitDirectory units, DailyReportSettings settings, Crm.Grains.Calendars.CalendarDirectory calendars)
    {
        var time = default(TimeOnly);
        var validation = new Validation().Check(request.LocalTime is null || DailyReportSettings.TryParseTime(request.LocalTime, out time), "localTime",
            "'localTime' must be a local time as HH:mm (or null to follow the unit above).");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await units.GetAsync(id) is null)
        {
            return ApiResults.NotFound("Org unit", id);
        }

        await settings.SetAsync(id, request.LocalTime is null ? null : time);
        return TypedResults.Ok(await SettingAsync(id, settings, calendars));
    }

    private static async Task<DailyReportSettingDto> SettingAsync(string id, DailyReportSettings settings, Crm.Grains.Calendars.CalendarDirectory calendars)
    {
        var (time, setOn) = await settings.ForUnitAsync(id);
        var (calendar, _) = await calendars.ForUnitAsync(id);
        return new DailyReportSettingDto(id, DailyReportSettings.Format(time), setOn, calendar.Definition.TimeZone);
    }

    /// <summary>The rep if the caller reaches it: itself, a rep in a manager's subtree, anyone for an admin; another rep is 403, outside a manager's subtree 404.</summary>
    internal static async Task<(OrgMember? Member, ProblemHttpResult? Refused)> VisibleRepAsync(string repId, HttpContext http, OrgTreeCache tree)
    {
        var member = await tree.Member(repId);
        if (member is null || member.Role != UserRole.Rep)
        {
            return (null, ApiResults.NotFound("Rep", repId));
        }

        var caller = http.User.ToVisibility();
        return caller.Role switch
        {
            UserRole.Admin => (member, null),
            UserRole.Manager when OrgPaths.Reaches(caller.UnitPath, member.OrgUnitPath) => (member, null),
            UserRole.Rep when caller.UserId == repId => (member, null),
            UserRole.Rep => (null, ApiResults.Problem(CrmError.Forbidden("A rep reads its own daily reports only."))),
            _ => (null, ApiResults.NotFound("Rep", repId)),
        };
    }

    /// <summary>A stored report the caller reaches; one it does not reach is not found (its id says nothing).</summary>
    private static async Task<(StoredDailyReport? Report, ProblemHttpResult? Refused)> VisibleReportAsync(string id, HttpContext http, OrgTreeCache tree,
        DailyReportStore store)
    {
        if (id.Length > 64 || await store.GetAsync(id) is not { } report)
        {
            return (null, ApiResults.NotFound("Daily report", id.Length > 64 ? id[..64] : id));
        }

        var (_, refused) = await VisibleRepAsync(report.RepId, http, tree);
        return refused is null ? (report, null) : (null, ApiResults.NotFound("Daily report", id));
    }

    private static async Task<DailyReportDto> DtoAsync(StoredDailyReport r, string timeZone, DailyReportStore store) =>
        new(r.Id, r.RepId, r.Date, timeZone, true, r.GeneratedAt, r.Figures, r.Comments, r.Plan, r.CommentedAt, await store.RepliesAsync(r.Id));

    private static string? Clean(string? text) => text?.Trim();
}
