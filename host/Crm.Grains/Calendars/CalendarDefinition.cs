namespace Crm.Grains.Calendars;

/// <summary>
/// What an admin sets for a unit: an IANA time zone, the weekly days off, public holidays, make-up working days and
/// the local time the working morning starts (when morning tasks appear). Stored as JSON, so only add members.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CalendarDefinition(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] IReadOnlyList<DayOfWeek> Weekend,
    [property: Id(2)] IReadOnlyList<DateOnly> Holidays,
    [property: Id(3)] IReadOnlyList<DateOnly> Workdays,
    [property: Id(4)] TimeOnly MorningAt)
{
    public static CalendarDefinition Default { get; } =
        new("UTC", [DayOfWeek.Saturday, DayOfWeek.Sunday], [], [], new TimeOnly(9, 0));
}
