using Crm.Grains.Metrics;

namespace Crm.Tests.Reports;

/// <summary>
/// <see cref="CountPlan"/> reads a range of days as whole periods plus or minus edge days: expanded day by day (each
/// period into its days, the subtracted days taken off), it must count every day of the range exactly once and nothing
/// else, and read no more than half a month of days at each edge.
/// </summary>
public sealed class CountPlanTests
{
    [Fact]
    public void Every_day_of_a_range_is_counted_once_from_periods_and_edge_days()
    {
        var random = new Random(76);
        var origin = new DateOnly(2024, 11, 20);
        var ranges = Enumerable.Range(0, 3000).Select(_ =>
        {
            var from = origin.AddDays(random.Next(0, 900));
            return (from, from.AddDays(random.Next(0, random.Next(2) == 0 ? 40 : 500)));
        }).ToList();
        // Every period of every kind, whole, and up to a day of it (a progress "so far").
        ranges.AddRange(Enumerable.Range(0, 800).Select(origin.AddDays)
            .SelectMany(d => new[] { PeriodKind.Day, PeriodKind.Week, PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Year }
                .Select(k => ReportPeriod.Of(k, d)).SelectMany(p => new[] { (p.From, p.To), (p.From, d.AddDays(1)) })));

        foreach (var (from, to) in ranges.Distinct())
        {
            var plan = CountPlan.For(from, to);
            var counted = new Dictionary<DateOnly, int>();
            foreach (var text in plan.Periods)
            {
                Assert.True(ReportPeriod.TryParse(text, out var period), text);
                Assert.Contains(period.Kind, MetricProjection.PeriodKinds);
                Add(counted, period.From, period.To, 1);
            }

            foreach (var (a, b) in plan.AddDays)
            {
                Add(counted, a, b, 1);
                Assert.True(b.DayNumber - a.DayNumber <= 16, $"{from}..{to} reads {a}..{b}");
            }

            foreach (var (a, b) in plan.SubtractDays)
            {
                Add(counted, a, b, -1);
                Assert.True(b.DayNumber - a.DayNumber <= 16, $"{from}..{to} takes off {a}..{b}");
            }

            var expected = Enumerable.Range(0, Math.Max(0, to.DayNumber - from.DayNumber)).Select(from.AddDays).ToList();
            Assert.Equal(expected, counted.Where(c => c.Value != 0).Select(c => c.Key).Order().ToList());
            Assert.All(counted.Where(c => c.Value != 0), c => Assert.Equal(1, c.Value));
        }
    }

    [Fact]
    public void Whole_periods_read_one_row_per_rep_and_no_days()
    {
        var week = CountPlan.For(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 7));
        Assert.Equal("2026-W49 0 0", $"{string.Join(",", week.Periods)} {week.AddDays.Count} {week.SubtractDays.Count}");
        var month = CountPlan.For(new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 1));
        Assert.Equal("2026-12 0 0", $"{string.Join(",", month.Periods)} {month.AddDays.Count} {month.SubtractDays.Count}");
        var year = CountPlan.For(new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1));
        Assert.Equal(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], year.Periods.ToList());
        // December up to the 20th: the month less the 11 days after.
        var soFar = CountPlan.For(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 21));
        Assert.Equal("2026-12 0", $"{string.Join(",", soFar.Periods)} {soFar.AddDays.Count}");
        Assert.Equal([(new DateOnly(2026, 12, 21), new DateOnly(2027, 1, 1))], soFar.SubtractDays.ToList());
    }

    private static void Add(Dictionary<DateOnly, int> counted, DateOnly from, DateOnly to, int sign)
    {
        for (var d = from; d < to; d = d.AddDays(1))
        {
            counted[d] = counted.GetValueOrDefault(d) + sign;
        }
    }
}
