using Crm.Grains.Metrics;

namespace Crm.Grains.Calendars;

/// <summary>Bounds and consistency of a calendar an admin sends; each problem names its field.</summary>
public static class CalendarRules
{
    public const int MaxDates = 1000;

    public static IEnumerable<(string Field, string Message)> Check(string? timeZone, IReadOnlyList<DayOfWeek>? weekend,
        IReadOnlyList<DateOnly>? holidays, IReadOnlyList<DateOnly>? workdays)
    {
        if (string.IsNullOrWhiteSpace(timeZone) || timeZone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            yield return ("timeZone", "'timeZone' must be an IANA time zone such as Asia/Shanghai or Europe/Moscow.");
        }

        if (weekend is { Count: > 6 } || (weekend?.Any(d => !Enum.IsDefined(d)) ?? false))
        {
            yield return ("weekend", "'weekend' lists at most six distinct days of the week.");
        }

        if (holidays is { Count: > MaxDates })
        {
            yield return ("holidays", $"'holidays' may list at most {MaxDates} dates.");
        }

        if (workdays is { Count: > MaxDates })
        {
            yield return ("workdays", $"'workdays' may list at most {MaxDates} dates.");
        }

        // The years a date may name anywhere else (Validation.Date in the API).
        if (holidays?.Any(d => d.Year is < ReportPeriod.MinYear or > ReportPeriod.MaxYear) == true)
        {
            yield return ("holidays", $"'holidays' lists dates in {ReportPeriod.MinYear} to {ReportPeriod.MaxYear}.");
        }

        if (workdays?.Any(d => d.Year is < ReportPeriod.MinYear or > ReportPeriod.MaxYear) == true)
        {
            yield return ("workdays", $"'workdays' lists dates in {ReportPeriod.MinYear} to {ReportPeriod.MaxYear}.");
        }

        if (holidays is not null && workdays is not null && holidays.Intersect(workdays).FirstOrDefault() is var both && both != default)
        {
            yield return ("workdays", $"{both:yyyy-MM-dd} is both a holiday and a make-up working day.");
        }
    }
}
