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

        foreach (var (field, dates) in new[] { ("holidays", holidays), ("workdays", workdays) })
        {
            if (dates is { Count: > MaxDates })
            {
                yield return (field, $"'{field}' may list at most {MaxDates} dates.");
            }

            // The years a date may name anywhere else (Validation.Date in the API).
            if (dates?.Any(d => d.Year is < ReportPeriod.MinYear or > ReportPeriod.MaxYear) == true)
            {
                yield return (field, $"'{field}' lists dates in {ReportPeriod.MinYear} to {ReportPeriod.MaxYear}.");
            }
        }

        if (holidays is not null && workdays is not null && holidays.Intersect(workdays).FirstOrDefault() is var both && both != default)
        {
            yield return ("workdays", $"{both:yyyy-MM-dd} is both a holiday and a make-up working day.");
        }
    }
}
