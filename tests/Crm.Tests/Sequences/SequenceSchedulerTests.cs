using Crm.Grains.Calendars;
using Crm.Grains.Sequences;

namespace Crm.Tests.Sequences;

/// <summary>
/// The scheduler at the scale: 5 steps over 20 working days, 1,000 customers over 10 reps, at most 30 steps per
/// rep per day, across China's National Day week (holidays and a make-up Saturday): no rep over the cap, no step before
/// its day or off a working day, each customer's steps in order.
/// </summary>
public sealed class SequenceSchedulerTests
{
    private static DateOnly D(int month, int day) => new(2026, month, day);

    private static readonly WorkCalendar Shanghai = new(new CalendarDefinition("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday],
        [D(10, 1), D(10, 2), D(10, 5), D(10, 6), D(10, 7)], [D(10, 10)], new TimeOnly(8, 30)));

    private static readonly int[] Days = [0, 5, 10, 15, 19];

    [Fact]
    public void A_thousand_customers_over_ten_reps_never_exceed_the_cap_and_no_step_comes_before_its_day()
    {
        const int cap = 30;
        var enrolledOn = D(9, 28); // a Monday, the golden week ahead
        var all = new List<(string Rep, SequenceScheduler.Dated Step)>();
        for (var rep = 0; rep < 10; rep++)
        {
            var customers = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToList();
            var load = new Dictionary<DateOnly, int> { [D(9, 28)] = 25 }; // the rep already has 25 steps today from another sequence
            var plan = SequenceScheduler.Plan(customers, Days, enrolledOn, Shanghai, cap, load);
            Assert.Equal(500, plan.Count);
            Assert.All(load.Values, n => Assert.True(n <= cap));
            all.AddRange(plan.Select(p => ($"rep-{rep}", p)));
        }

        foreach (var perDay in all.GroupBy(s => (s.Rep, s.Step.Date)))
        {
            var existing = perDay.Key.Date == D(9, 28) ? 25 : 0;
            Assert.True(perDay.Count() + existing <= cap, $"{perDay.Key.Rep} has {perDay.Count() + existing} steps on {perDay.Key.Date}");
        }

        Assert.All(all, s =>
        {
            Assert.True(Shanghai.IsWorkingDay(s.Step.Date), $"{s.Step.Date} is not a working day");
            Assert.True(s.Step.Date >= Shanghai.AddWorkingDays(enrolledOn, Days[s.Step.StepIndex]), "a step before its day");
        });
        foreach (var customer in all.GroupBy(s => s.Step.CustomerId))
        {
            var dates = customer.OrderBy(s => s.Step.StepIndex).Select(s => s.Step.Date).ToList();
            Assert.Equal(dates.Order(), dates);
            Assert.Equal(dates.Count, dates.Distinct().Count());
        }

        // The golden week is skipped and the make-up Saturday is used; the cap fills days, it does not leave them empty.
        Assert.DoesNotContain(all, s => s.Step.Date >= D(10, 1) && s.Step.Date <= D(10, 7));
        Assert.Contains(all, s => s.Step.Date == D(10, 10));
        Assert.Equal(5, all.Count(s => s.Rep == "rep-0" && s.Step.Date == D(9, 28)));
    }

    [Fact]
    public void Without_a_cap_problem_each_step_lands_exactly_on_its_working_day()
    {
        var customer = Guid.NewGuid();
        var plan = SequenceScheduler.Plan([customer], Days, D(9, 28), Shanghai, 30, []);
        // Working days from Monday Sep 28: 29, 30, Oct 8, 9, the make-up Saturday 10 (day 5), 12-16 (day 10), 19-23 (day 15), 26-29 (day 19).
        Assert.Equal([D(9, 28), D(10, 10), D(10, 16), D(10, 23), D(10, 29)], plan.Select(p => p.Date));
    }
}
