using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Morning;
using Crm.Grains.Pools;
using Crm.Grains.Tasks;

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

    [Theory]
    [InlineData(RecycleDeadline.NoFollowUp, TaskKinds.FollowUp, "Follow up before it returns to the pool: Anna", "unless followed up (no follow-up for 10 days)")]
    [InlineData(RecycleDeadline.NoVisit, TaskKinds.Visit, "Visit before it returns to the pool: Anna", "unless you check in at the customer before then (no visit for 10 days)")]
    [InlineData(RecycleDeadline.NoDeal, TaskKinds.Custom, "Open a deal before it returns to the pool: Anna", "unless a deal is opened for it before then (no deal for 10 days)")]
    public void A_drop_task_is_of_the_kind_that_stops_the_drop_and_says_what_stops_it(string rule, string kind, string title, string unless)
    {
        var customer = Guid.NewGuid();
        var dropsAt = new DateTimeOffset(2027, 3, 4, 6, 0, 0, TimeSpan.Zero);
        var why = new RecycleDeadline(dropsAt, rule, 10).Reason;

        var reason = MorningRules.Drop("rep-1", customer, "Anna", "pool-1", dropsAt, "2027-03-04 14:00", rule, why);

        Assert.Equal((kind, title), (reason.Kind, reason.Title));
        Assert.StartsWith($"Goes back to pool pool-1 at 2027-03-04 14:00 {unless}", reason.Notes);
        // What completing the task records: a follow-up stops only the follow-up clock; the others say completing does not stop them.
        if (rule == RecycleDeadline.NoFollowUp)
        {
            Assert.Equal(FollowUpType.Call, TaskRules.FollowUpOf(reason.Kind));
        }
        else
        {
            Assert.DoesNotContain("followed up", reason.Notes);
            Assert.Contains("completing this task do not", reason.Notes);
        }

        Assert.Equal(rule == RecycleDeadline.NoDeal, TaskRules.FollowUpOf(reason.Kind) is null);
    }

    [Fact]
    public void Two_clocks_ending_at_the_same_instant_are_two_reasons_and_the_follow_up_clock_keeps_its_old_key()
    {
        var customer = Guid.NewGuid();
        var dropsAt = new DateTimeOffset(2027, 3, 4, 6, 0, 0, TimeSpan.Zero);
        var keys = new[] { RecycleDeadline.NoFollowUp, RecycleDeadline.NoVisit, RecycleDeadline.NoDeal }
            .Select(rule => MorningRules.Drop("rep-1", customer, "Anna", "pool-1", dropsAt, "", rule, "").Key).ToList();

        Assert.Equal(3, keys.Distinct().Count());
        Assert.Equal($"drop:{customer}:{dropsAt.ToUnixTimeMilliseconds()}", keys[0]);
    }
}
