using System.Globalization;
using Crm.Grains.DailyReports;

namespace Crm.Server.Api.DailyReports;

/// <summary>
/// The local date a daily report is asked for: <c>yyyy-MM-dd</c>, not after the rep's today (a future day has nothing
/// to report) and at most <see cref="DailyReportOptions.MaxDaysBack"/> days before it; none means today.
/// </summary>
public static class DailyReportDates
{
    public static bool IsWellFormed(string? date) => date is null || TryParse(date, out _);

    /// <summary>The day asked for, or why not (the message of a 400 on the field <c>date</c>).</summary>
    public static (DateOnly Day, string? Problem) Check(string? date, DateOnly today, int maxDaysBack)
    {
        if (date is null)
        {
            return (today, null);
        }

        if (!TryParse(date, out var day))
        {
            return (default, "'date' must be a local date as yyyy-MM-dd.");
        }

        var earliest = today.AddDays(-maxDaysBack);
        return day > today ? (default, $"'date' is after today ({Text(today)}) in the rep's calendar.")
            : day < earliest ? (default, $"'date' is more than {maxDaysBack} days before today ({Text(today)}) in the rep's calendar: the earliest is {Text(earliest)}.")
            : (day, null);
    }

    private static bool TryParse(string date, out DateOnly day) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
