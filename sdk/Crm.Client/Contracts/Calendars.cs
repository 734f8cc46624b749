using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>
/// <c>PUT /api/org-units/{id}/calendar</c>: an IANA time zone, the weekly days off, public holidays, make-up working days
/// (weekend days worked instead, e.g. China's 调休) and when the working morning starts ("HH:mm", default 09:00).
/// Without <see cref="Weekend"/> the days off are Saturday and Sunday; an empty list is a unit that works every day.
/// </summary>
public sealed record WorkCalendarRequest(
    [property: MaxLength(100)] string? TimeZone,
    [property: MaxLength(7)] IReadOnlyList<DayOfWeek>? Weekend = null,
    [property: MaxLength(1000)] IReadOnlyList<DateOnly>? Holidays = null,
    [property: MaxLength(1000)] IReadOnlyList<DateOnly>? Workdays = null,
    [property: MaxLength(5)] string? MorningAt = null);

/// <summary>The calendar a unit follows: its own, or that of <see cref="SetOnOrgUnitId"/> above it (null: the default).</summary>
public sealed record WorkCalendarDto(
    string OrgUnitId,
    string? SetOnOrgUnitId,
    string TimeZone,
    IReadOnlyList<DayOfWeek> Weekend,
    IReadOnlyList<DateOnly> Holidays,
    IReadOnlyList<DateOnly> Workdays,
    string MorningAt);

/// <summary>One local date of a unit's calendar.</summary>
public sealed record CalendarDayDto(DateOnly Date, bool Working, DateTimeOffset MorningAt);
