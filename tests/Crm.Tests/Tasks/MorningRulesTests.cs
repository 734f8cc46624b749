using Crm.Grains.Calendars;
using Crm.Grains.Morning;

namespace Crm.Tests.Tasks;

/// <summary>Which dates a morning's occasions cover, and the task id a reason always gets.</summary>
public sealed class MorningRulesTests
{
    private static readonly WorkCalendar Calendar = new(new CalendarDefinition("UTC", [DayOfWeek.Saturday, DayOfWeek.Sunday],
        [new DateOnly(2027, 3, 1)], [], new TimeOnly(9, 0)));

    [Fact]
    public void Friday_covers_the_weekend_and_a_monday_holiday_and_a_midweek_morning_only_its_own_day()
    {
        Assert.Equal([new(2027, 2, 26), new(2027, 2, 27), new(2027, 2, 28), new DateOnly(2027, 3, 1)], MorningRules.OccasionDays(Calendar, new DateOnly(2027, 2, 26)));
        Assert.Equal([new DateOnly(2027, 3, 3)], MorningRules.OccasionDays(Calendar, new DateOnly(2027, 3, 3)));
    }

    [Fact]
    public void A_29_february_date_is_remembered_on_28_february_of_a_common_year()
    {
        var days = MorningRules.OccasionDays(Calendar, new DateOnly(2027, 2, 26));
        Assert.Contains("02-29", MorningRules.MonthDays(days));
        Assert.Equal(new DateOnly(2027, 2, 28), MorningRules.OccasionOn(new DateOnly(1996, 2, 29), days));
        Assert.Null(MorningRules.OccasionOn(new DateOnly(1996, 3, 2), days));
    }

    [Fact]
    public void A_reason_always_gets_the_same_task_id_and_different_reasons_different_ones()
    {
        Assert.Equal(MorningRules.TaskId("overdue:c1:1"), MorningRules.TaskId("overdue:c1:1"));
        Assert.NotEqual(MorningRules.TaskId("overdue:c1:1"), MorningRules.TaskId("overdue:c1:2"));
        Assert.StartsWith("morning-", MorningRules.TaskId("x"));
    }
}
