namespace Crm.Grains.Metrics;

/// <summary>
/// How a count over local days [from, to) is read with the fewest rows per rep: the whole ISO week, quarters and months
/// inside it from <c>rep_period_metrics</c> (one row per rep and period), and the days at its edges from
/// <c>rep_day_metrics</c>. An edge that covers more than half of its month is read as the month minus the days of it
/// outside the range (a month or quarter "up to today" subtracts the days after today, which are usually none), so no
/// read covers more than half a month of days.
/// </summary>
public sealed record CountPlan(IReadOnlyList<string> Periods, IReadOnlyList<(DateOnly From, DateOnly To)> AddDays,
    IReadOnlyList<(DateOnly From, DateOnly To)> SubtractDays)
{
    public static CountPlan For(DateOnly from, DateOnly to)
    {
        var periods = new List<string>();
        var add = new List<(DateOnly, DateOnly)>();
        var subtract = new List<(DateOnly, DateOnly)>();
        var plan = new CountPlan(periods, add, subtract);
        if (to <= from)
        {
            return plan;
        }

        var week = ReportPeriod.Of(PeriodKind.Week, from);
        if (week.From == from && week.To == to)
        {
            periods.Add(week.Text);
            return plan;
        }

        var cursor = from;
        while (cursor < to)
        {
            var month = ReportPeriod.Of(PeriodKind.Month, cursor);
            if (cursor == month.From && month.To <= to)
            {
                // Whole months, a quarter at a time where a whole quarter starts here.
                var quarter = ReportPeriod.Of(PeriodKind.Quarter, cursor);
                var whole = quarter.From == cursor && quarter.To <= to ? quarter : month;
                periods.Add(whole.Text);
                cursor = whole.To;
                continue;
            }

            // Part of a month: its days, or the month less the days outside the range, whichever reads fewer days.
            var end = month.To < to ? month.To : to;
            var days = end.DayNumber - cursor.DayNumber;
            if (days * 2 > month.To.DayNumber - month.From.DayNumber)
            {
                periods.Add(month.Text);
                if (cursor > month.From)
                {
                    subtract.Add((month.From, cursor));
                }

                if (end < month.To)
                {
                    subtract.Add((end, month.To));
                }
            }
            else
            {
                add.Add((cursor, end));
            }

            cursor = end;
        }

        return plan;
    }
}
