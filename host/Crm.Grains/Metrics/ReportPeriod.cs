using System.Globalization;
using System.Text.RegularExpressions;

namespace Crm.Grains.Metrics;

/// <summary>The kinds of report period: a local day, an ISO week, a month, a quarter, a year.</summary>
public enum PeriodKind
{
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// <summary>
/// A report period as local dates [<see cref="From"/>, <see cref="To"/>), written <c>2026-12-02</c>, <c>2026-W49</c>
/// (ISO week), <c>2026-12</c>, <c>2026-Q4</c> or <c>2026</c>. The dates are each rep's local dates, so one period means
/// the same calendar days in every time zone.
/// </summary>
public sealed partial record ReportPeriod(string Text, PeriodKind Kind, DateOnly From, DateOnly To)
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    public static bool TryParse(string? text, out ReportPeriod period)
    {
        period = null!;
        var m = Shape().Match(text?.Trim() ?? "");
        if (!m.Success)
        {
            return false;
        }

        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (year is < MinYear or > MaxYear)
        {
            return false;
        }

        if (m.Groups["w"].Success)
        {
            var week = int.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture);
            return week >= 1 && week <= ISOWeek.GetWeeksInYear(year) && Set(out period, Of(PeriodKind.Week, DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday))));
        }

        if (m.Groups["q"].Success)
        {
            var quarter = int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture);
            return quarter is >= 1 and <= 4 && Set(out period, Of(PeriodKind.Quarter, new DateOnly(year, quarter * 3 - 2, 1)));
        }

        if (!m.Groups["m"].Success)
        {
            return Set(out period, Of(PeriodKind.Year, new DateOnly(year, 1, 1)));
        }

        var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return false;
        }

        if (!m.Groups["d"].Success)
        {
            return Set(out period, Of(PeriodKind.Month, new DateOnly(year, month, 1)));
        }

        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        return day >= 1 && day <= DateTime.DaysInMonth(year, month) && Set(out period, Of(PeriodKind.Day, new DateOnly(year, month, day)));
    }

    /// <summary>The period of a kind that contains <paramref name="day"/>.</summary>
    public static ReportPeriod Of(PeriodKind kind, DateOnly day)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case PeriodKind.Day:
                return new(day.ToString("yyyy-MM-dd", inv), kind, day, day.AddDays(1));
            case PeriodKind.Week:
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                var dt = monday.ToDateTime(TimeOnly.MinValue);
                return new($"{ISOWeek.GetYear(dt)}-W{ISOWeek.GetWeekOfYear(dt):00}", kind, monday, monday.AddDays(7));
            case PeriodKind.Month:
                var first = new DateOnly(day.Year, day.Month, 1);
                return new(first.ToString("yyyy-MM", inv), kind, first, first.AddMonths(1));
            case PeriodKind.Quarter:
                var q = (day.Month - 1) / 3;
                var start = new DateOnly(day.Year, q * 3 + 1, 1);
                return new($"{day.Year}-Q{q + 1}", kind, start, start.AddMonths(3));
            default:
                var jan = new DateOnly(day.Year, 1, 1);
                return new(day.Year.ToString(inv), kind, jan, jan.AddYears(1));
        }
    }

    /// <summary>The period of the same kind just before this one.</summary>
    public ReportPeriod Previous() => Of(Kind, From.AddDays(-1));

    private static bool Set(out ReportPeriod period, ReportPeriod value)
    {
        period = value;
        return true;
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:-W(?<w>\d{2})|-Q(?<q>\d)|-(?<m>\d{2})(?:-(?<d>\d{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
