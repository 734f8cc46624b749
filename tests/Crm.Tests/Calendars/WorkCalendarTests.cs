using Crm.Grains.Calendars;

namespace Crm.Tests.Calendars;

/// <summary>The plain calendar: weekends, holidays, make-up working days and local mornings in the unit's time zone.</summary>
public sealed class WorkCalendarTests
{
    private static DateOnly D(int month, int day, int year = 2026) => new(year, month, day);

    // China, National Day 2026 (illustrative): Oct 1-7 off, Saturday Oct 10 worked instead (调休).
    private static readonly WorkCalendar Shanghai = new(new CalendarDefinition("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday],
        [D(10, 1), D(10, 2), D(10, 5), D(10, 6), D(10, 7)], [D(10, 10)], new TimeOnly(8, 30)));

    // Russia: a weekend day transferred, a Saturday worked and the Monday after a holiday off.
    private static readonly WorkCalendar Moscow = new(new CalendarDefinition("Europe/Moscow", [DayOfWeek.Saturday, DayOfWeek.Sunday],
        [D(11, 4), D(11, 3)], [D(11, 1)], new TimeOnly(9, 0)));

    [Fact]
    public void Weekends_and_holidays_are_off_and_a_make_up_saturday_is_worked()
    {
        Assert.False(Shanghai.IsWorkingDay(D(10, 1)));   // holiday (Thursday)
        Assert.False(Shanghai.IsWorkingDay(D(10, 3)));   // Saturday
        Assert.True(Shanghai.IsWorkingDay(D(10, 8)));    // back at work
        Assert.True(Shanghai.IsWorkingDay(D(10, 10)));   // make-up Saturday
        Assert.False(Shanghai.IsWorkingDay(D(10, 11)));  // Sunday
        Assert.True(Moscow.IsWorkingDay(D(11, 1)));      // transferred Sunday worked
        Assert.False(Moscow.IsWorkingDay(D(11, 3)));     // the Tuesday it was transferred to
    }

    [Fact]
    public void Adding_working_days_skips_the_golden_week_and_counts_the_make_up_day()
    {
        Assert.Equal(D(10, 8), Shanghai.AddWorkingDays(D(9, 30), 1));
        Assert.Equal(D(10, 10), Shanghai.AddWorkingDays(D(10, 8), 2));   // Thu, Fri(9), Sat(10, make-up)
        Assert.Equal(D(10, 12), Shanghai.AddWorkingDays(D(10, 10), 1));  // Sunday skipped
        Assert.Equal(D(9, 30), Shanghai.AddWorkingDays(D(10, 8), -1));
        Assert.Equal(D(10, 8), Shanghai.AddWorkingDays(D(10, 1), 0));    // 0: the next working day
        Assert.Equal(7, Shanghai.WorkingDaysBetween(D(9, 28), D(10, 13))); // Sep 28-30, Oct 8, 9, 10 (make-up), 12
    }

    [Fact]
    public void The_local_morning_is_in_the_units_time_zone()
    {
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 0, 30, 0, TimeSpan.Zero), Shanghai.LocalMorningAt(D(10, 8)));
        Assert.Equal(new DateTimeOffset(2026, 11, 5, 6, 0, 0, TimeSpan.Zero), Moscow.LocalMorningAt(D(11, 5)));
        // 23:00 UTC on Oct 7 is already Oct 8 in Shanghai.
        Assert.Equal(D(10, 8), Shanghai.LocalDate(new DateTimeOffset(2026, 10, 7, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Bad_calendars_are_refused_field_by_field()
    {
        var problems = CalendarRules.Check("Mars/Olympus", [DayOfWeek.Monday], [D(1, 1)], [D(1, 1)]).Select(p => p.Field).ToList();
        Assert.Equal(["timeZone", "workdays"], problems);
        Assert.Contains("weekend", CalendarRules.Check("UTC", Enum.GetValues<DayOfWeek>(), null, null).Select(p => p.Field));
        Assert.Empty(CalendarRules.Check("Asia/Shanghai", [DayOfWeek.Sunday], [D(10, 1)], [D(10, 10)]));
    }
}
