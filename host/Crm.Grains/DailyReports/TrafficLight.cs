using Crm.Grains.Calendars;

namespace Crm.Grains.DailyReports;

/// <summary>What the traffic light of one customer looks at: its ages in whole days, an overdue instalment, and its pool's limits.</summary>
public sealed record LightFacts(int DaysSinceContact, int DaysSinceMove, string? Overdue, int FollowUpLimit, int StageLimit);

/// <summary>
/// The traffic light of an active customer: red when it is at risk (an overdue instalment, or about to go back to the
/// pool for want of a follow-up) or stuck (stage unchanged past the pool's limit); yellow when it stalls (half of
/// either limit gone); green otherwise. The limits are the pool's own recycle rules, so each pool has its thresholds.
/// </summary>
public static class TrafficLight
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";

    public static (string Light, string Reason) Judge(LightFacts f, int redWithinDays)
    {
        if (f.Overdue is not null)
        {
            return (Red, $"At risk: {f.Overdue}.");
        }

        var redAt = Math.Max(1, f.FollowUpLimit - redWithinDays);
        if (f.DaysSinceContact >= redAt)
        {
            return (Red, $"At risk: {Days(f.DaysSinceContact)} without a follow-up; its pool takes it back after {Days(f.FollowUpLimit)}.");
        }

        if (f.DaysSinceMove >= f.StageLimit)
        {
            return (Red, $"Stuck: stage unchanged for {Days(f.DaysSinceMove)} (limit {Days(f.StageLimit)}).");
        }

        if (f.DaysSinceContact * 2 >= f.FollowUpLimit)
        {
            return (Yellow, $"Stalling: {Days(f.DaysSinceContact)} without a follow-up, half of its pool's {Days(f.FollowUpLimit)} gone.");
        }

        if (f.DaysSinceMove * 2 >= f.StageLimit)
        {
            return (Yellow, $"Stalling: stage unchanged for {Days(f.DaysSinceMove)} (limit {Days(f.StageLimit)}).");
        }

        return (Green, $"Moving: last contact {Ago(f.DaysSinceContact)}, last move {Ago(f.DaysSinceMove)}.");
    }

    /// <summary>Whole days from <paramref name="since"/> to <paramref name="asOf"/> (never negative).</summary>
    public static int DaysBetween(DateTimeOffset since, DateTimeOffset asOf) => Math.Max(0, (int)Math.Floor((asOf - since).TotalDays));

    public static int Rank(string light) => light switch { Red => 0, Yellow => 1, _ => 2 };

    private static string Days(int n) => n == 1 ? "1 day" : $"{n} days";

    private static string Ago(int n) => n == 0 ? "today" : Days(n) + " ago";
}
