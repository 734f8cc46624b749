using Crm.Grains.Calendars;

namespace Crm.Grains.Visits;

/// <summary>
/// The thresholds a check-in is judged by, from the server's <c>Crm:FieldWork</c> settings, resolved for the rep's
/// unit (whether visits outside working hours are allowed there). Working hours are minutes after midnight in
/// <see cref="TimeZoneId"/> on <see cref="WorkDays"/>, unless the rep's unit keeps a work <see cref="Calendar"/>: then
/// they are minutes after midnight in the calendar's time zone on its working days (weekends, public holidays and
/// make-up working days as the unit keeps them), as the rep's other days are counted.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record VisitPolicy(
    double FarMeters,
    double MinVisitMinutes,
    double MaxSpeedKmh,
    int WorkdayStartMinute,
    int WorkdayEndMinute,
    IReadOnlyList<DayOfWeek> WorkDays,
    string TimeZoneId,
    bool OutsideHoursAllowed,
    CalendarDefinition? Calendar = null)
{
    public static readonly VisitPolicy Default = new(500, 5, 250, 8 * 60, 20 * 60,
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], "UTC", false);
}
