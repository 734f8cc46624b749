using Crm.Grains.Calendars;
using Crm.Server.Api.DailyReports;
using Microsoft.Extensions.Time.Testing;

namespace Crm.Tests.DailyReports;

/// <summary>
/// Which dates a daily report may be asked for, on a fake clock in a Shanghai calendar (every date relative to the
/// clock): today and the days back to the bound, not tomorrow, not one day past the bound, nothing malformed; the
/// window moves with the clock and with the rep's time zone (late evening UTC is already tomorrow in Shanghai).
/// </summary>
public sealed class DailyReportDatesTests
{
    private static readonly WorkCalendar Shanghai = new(CalendarDefinition.Default with { TimeZone = "Asia/Shanghai" });

    [Fact]
    public void A_date_is_today_or_up_to_the_bound_before_it_in_the_reps_calendar()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 3000)));
        for (var step = 0; step < 3; step++)
        {
            var today = Shanghai.LocalDate(clock.GetUtcNow());
            Assert.Equal((today, (string?)null), DailyReportDates.Check(null, today, 366));
            foreach (var back in new[] { 0, 1, 30, 365, 366 })
            {
                Assert.Equal((today.AddDays(-back), (string?)null), DailyReportDates.Check(Text(today.AddDays(-back)), today, 366));
            }

            Assert.Contains("after today", DailyReportDates.Check(Text(today.AddDays(1)), today, 366).Problem);
            Assert.Contains("more than 366 days before today", DailyReportDates.Check(Text(today.AddDays(-367)), today, 366).Problem);
            Assert.Contains("more than 30 days", DailyReportDates.Check(Text(today.AddDays(-31)), today, 30).Problem);
            clock.Advance(TimeSpan.FromDays(40) + TimeSpan.FromHours(7));
        }
    }

    [Fact]
    public void Today_is_the_reps_local_today()
    {
        // 20:00 UTC is 04:00 the next morning in Shanghai: that next day is today for the rep, the UTC date is yesterday.
        var start = new DateTimeOffset(2026, 3, 2, 20, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 3000));
        var clock = new FakeTimeProvider(start);
        var today = Shanghai.LocalDate(clock.GetUtcNow());
        Assert.Equal(DateOnly.FromDateTime(start.UtcDateTime).AddDays(1), today);
        Assert.Null(DailyReportDates.Check(Text(today), today, 366).Problem);
        Assert.NotNull(DailyReportDates.Check(Text(today.AddDays(1)), today, 366).Problem);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("02/03/2026")]
    [InlineData("")]
    public void A_malformed_date_is_refused(string date)
    {
        Assert.False(DailyReportDates.IsWellFormed(date));
        Assert.Contains("yyyy-MM-dd", DailyReportDates.Check(date, new DateOnly(2026, 3, 2), 366).Problem);
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
