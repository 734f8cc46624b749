using System.Globalization;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Calendars;

/// <summary>
/// Work calendars on org units: anyone who sees a unit reads the calendar it follows; admins set or remove a unit's own.
/// </summary>
public static class CalendarsApi
{
    private const int MaxDays = 366;

    public static IEndpointRouteBuilder MapCalendarsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/org-units/{id}/calendar").WithTags("Calendars").RequireAuthorization();
        api.MapGet("/", Get);
        api.MapGet("/days", Days);
        api.MapPut("/", Set).RequireAuthorization(Policies.Admin);
        api.MapDelete("/", Remove).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Results<Ok<WorkCalendarDto>, ProblemHttpResult>> Get(string id, HttpContext http, OrgUnitDirectory units, CalendarDirectory calendars)
    {
        if (!await VisibleAsync(id, http, units))
        {
            return ApiResults.NotFound("Org unit", id);
        }

        return TypedResults.Ok(await DtoAsync(id, calendars));
    }

    /// <summary>Which of the next <c>days</c> local dates from <c>from</c> are working days, and when each working morning starts.</summary>
    private static async Task<Results<Ok<IReadOnlyList<CalendarDayDto>>, ValidationProblem, ProblemHttpResult>> Days(
        string id, DateOnly? from, int? days, HttpContext http, OrgUnitDirectory units, CalendarDirectory calendars, TimeProvider clock)
    {
        var validation = new Validation().Check(days is null or >= 1 and <= MaxDays, "days", $"'days' must be between 1 and {MaxDays}.")
            .Date(from, "from");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!await VisibleAsync(id, http, units))
        {
            return ApiResults.NotFound("Org unit", id);
        }

        var (calendar, _) = await calendars.ForUnitAsync(id);
        var start = from ?? calendar.LocalDate(clock.GetUtcNow());
        IReadOnlyList<CalendarDayDto> list = Enumerable.Range(0, days ?? 14)
            .Select(i => start.AddDays(i))
            .Select(d => new CalendarDayDto(d, calendar.IsWorkingDay(d), calendar.LocalMorningAt(d)))
            .ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<WorkCalendarDto>, ValidationProblem, ProblemHttpResult>> Set(
        string id, WorkCalendarRequest request, OrgUnitDirectory units, CalendarDirectory calendars)
    {
        var validation = new Validation();
        foreach (var (field, message) in CalendarRules.Check(request.TimeZone, request.Weekend, request.Holidays, request.Workdays))
        {
            validation.Check(false, field, message);
        }

        var morning = new TimeOnly(9, 0);
        validation.Check(request.MorningAt is null || TimeOnly.TryParseExact(request.MorningAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out morning),
            "morningAt", "'morningAt' must be a local time as HH:mm.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await units.GetAsync(id) is null)
        {
            return ApiResults.NotFound("Org unit", id);
        }

        // No weekend given is the usual one (an admin setting only the zone did not mean to work seven days); [] is none.
        var weekend = request.Weekend ?? CalendarDefinition.Default.Weekend;
        await calendars.SetAsync(id, new CalendarDefinition(request.TimeZone!.Trim(), weekend.Distinct().Order().ToList(),
            (request.Holidays ?? []).Distinct().Order().ToList(), (request.Workdays ?? []).Distinct().Order().ToList(), morning));
        return TypedResults.Ok(await DtoAsync(id, calendars));
    }

    private static async Task<Results<Ok<WorkCalendarDto>, ProblemHttpResult>> Remove(string id, OrgUnitDirectory units, CalendarDirectory calendars)
    {
        if (await units.GetAsync(id) is null)
        {
            return ApiResults.NotFound("Org unit", id);
        }

        await calendars.SetAsync(id, null);
        return TypedResults.Ok(await DtoAsync(id, calendars));
    }

    private static async Task<bool> VisibleAsync(string id, HttpContext http, OrgUnitDirectory units) =>
        await units.GetAsync(id) is { } unit && http.User.ToVisibility().Reaches(unit.Path);

    private static async Task<WorkCalendarDto> DtoAsync(string id, CalendarDirectory calendars)
    {
        var (calendar, setOn) = await calendars.ForUnitAsync(id);
        var d = calendar.Definition;
        return new WorkCalendarDto(id, setOn, d.TimeZone, d.Weekend, d.Holidays, d.Workdays, d.MorningAt.ToString("HH:mm", CultureInfo.InvariantCulture));
    }
}
