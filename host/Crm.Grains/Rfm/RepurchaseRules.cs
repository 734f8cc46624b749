namespace Crm.Grains.Rfm;

/// <summary>Where a customer stands in its buying rhythm on a day.</summary>
public sealed record RepurchaseStatus(Guid CustomerId, string Status, DateOnly LastPurchase, int DaysSince, decimal AverageIntervalDays, int Intervals,
    DateOnly DueOn, DateOnly ChurnRiskOn);

/// <summary>
/// Repurchase and churn warnings from the customer's own rhythm: the average of its last three purchase intervals (fewer
/// when it has bought on fewer days; at least two purchase days are needed). With an average of 35 days the customer is
/// due to buy again from day 33 after its last purchase (33/35 of the average) and at risk of churning from day 50
/// (10/7 of the average). Days are counted up, so a due day falls on the first whole day at or past the fraction.
/// </summary>
public static class RepurchaseRules
{
    public const string Due = "repurchase-due";
    public const string ChurnRisk = "churn-risk";
    public const int IntervalsAveraged = 3;

    /// <summary>The fraction of the average interval after which a customer is due: 33/35.</summary>
    public static readonly (int Numerator, int Denominator) DueAt = (33, 35);

    /// <summary>The fraction of the average interval after which a customer is at risk of churning: 10/7 (50 days of 35).</summary>
    public static readonly (int Numerator, int Denominator) ChurnRiskAt = (10, 7);

    /// <summary>The status on <paramref name="today"/>, or null when the customer is not due (or has too few purchases to say).</summary>
    public static RepurchaseStatus? StatusOn(PurchaseSummary summary, DateOnly today)
    {
        if (Rhythm(summary) is not { } r || today < r.DueOn)
        {
            return null;
        }

        return new RepurchaseStatus(summary.CustomerId, today >= r.ChurnRiskOn ? ChurnRisk : Due, r.Last, today.DayNumber - r.Last.DayNumber,
            r.Average, r.Intervals, r.DueOn, r.ChurnRiskOn);
    }

    private sealed record RhythmOf(DateOnly Last, decimal Average, int Intervals, DateOnly DueOn, DateOnly ChurnRiskOn);

    private static RhythmOf? Rhythm(PurchaseSummary summary)
    {
        var days = summary.LastDays.Take(IntervalsAveraged + 1).ToList();
        if (days.Count < 2)
        {
            return null;
        }

        var intervals = days.Count - 1;
        var sum = days[0].DayNumber - days[^1].DayNumber; // the intervals add up to the span from the oldest to the newest
        return new RhythmOf(days[0], Math.Round((decimal)sum / intervals, 2, MidpointRounding.AwayFromZero), intervals,
            days[0].AddDays(CeilDiv(sum * DueAt.Numerator, intervals * DueAt.Denominator)),
            days[0].AddDays(CeilDiv(sum * ChurnRiskAt.Numerator, intervals * ChurnRiskAt.Denominator)));
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
