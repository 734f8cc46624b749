using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Crm.Grains.Calendars;
using Crm.Grains.Pools;
using Crm.Client;

namespace Crm.Grains.Morning;

/// <summary>The plain rules of morning tasks: which days a morning covers, task ids, titles and reasons.</summary>
public static class MorningRules
{
    public const string Prefix = "morning-";

    /// <summary>A task id from the reason's key: the same reason is always the same task, so a second run creates nothing.</summary>
    public static string TaskId(string reasonKey) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reasonKey)))[..24];

    /// <summary>
    /// The dates whose occasions this morning announces: today and the days off up to the next working day, so a Sunday
    /// birthday is told on Friday and one on a holiday before it.
    /// </summary>
    public static IReadOnlyList<DateOnly> OccasionDays(WorkCalendar calendar, DateOnly today)
    {
        var days = new List<DateOnly> { today };
        for (var day = today.AddDays(1); days.Count < 366 && !calendar.IsWorkingDay(day); day = day.AddDays(1))
        {
            days.Add(day);
        }

        return days;
    }

    /// <summary>"MM-dd" of each day; a 28 February of a common year also stands for 29 February.</summary>
    public static IReadOnlyList<string> MonthDays(IReadOnlyList<DateOnly> days) => days
        .SelectMany(d => d is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(d.Year) ? [MonthDay(d), "02-29"] : new[] { MonthDay(d) })
        .Distinct().ToList();

    /// <summary>The day within <paramref name="days"/> on which a date's occasion falls this time.</summary>
    public static DateOnly? OccasionOn(DateOnly original, IReadOnlyList<DateOnly> days) =>
        days.Cast<DateOnly?>().FirstOrDefault(d => MonthDay(d!.Value) == MonthDay(original)
            || (original is { Month: 2, Day: 29 } && d!.Value is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(d.Value.Year)));

    /// <summary>When the morning's tasks are due: the next working morning.</summary>
    public static DateTimeOffset DueAt(WorkCalendar calendar, DateOnly today) => calendar.LocalMorningAt(calendar.AddWorkingDays(today, 1));

    public static MorningReason Overdue(string repId, Guid customer, string? name, string contractId, string number, int instalment,
        string dueDate, decimal outstanding, string currency) => new(
        $"overdue:{contractId}:{instalment}", repId, customer, TaskKinds.Call,
        Clip($"Overdue payment: {Name(name)}"),
        $"Instalment {instalment} of contract {number} was due {dueDate}; {outstanding.ToString("0.##", CultureInfo.InvariantCulture)} {currency} still open.");

    /// <summary>
    /// A customer about to drop back into its pool: a task of the kind that stops the drop, saying what stops it. Only the
    /// clock named by <paramref name="rule"/> drops it, and each clock is restarted by something else
    /// (<see cref="RecycleRules.DeadlineOf"/>): a follow-up (which completing a follow-up task records), a visit check-in
    /// (a visit task, on the rep's route for its day; completing it records a follow-up, not a check-in), or a deal opened
    /// (nothing a task records: a custom task, which records nothing when completed).
    /// </summary>
    public static MorningReason Drop(string repId, Guid customer, string? name, string poolId, DateTimeOffset dropsAt, string localDropsAt, string? rule,
        string why)
    {
        // The follow-up clock keeps the key it always had, so a deadline told before this rule still has its one task; the
        // others name their clock, so two clocks ending at the same instant are two reasons.
        var key = $"drop:{customer}:{dropsAt.ToUnixTimeMilliseconds()}";
        var drops = $"Goes back to pool {poolId} at {localDropsAt}";
        return rule switch
        {
            RecycleDeadline.NoVisit => new(key + ":" + rule, repId, customer, TaskKinds.Visit,
                Clip($"Visit before it returns to the pool: {Name(name)}"),
                $"{drops} unless you check in at the customer before then ({why}). Only a visit check-in (POST /api/customers/{customer}/visits) "
                + "restarts this clock: calls, messages and completing this task do not."),
            RecycleDeadline.NoDeal => new(key + ":" + rule, repId, customer, TaskKinds.Custom,
                Clip($"Open a deal before it returns to the pool: {Name(name)}"),
                $"{drops} unless a deal is opened for it before then ({why}). Only a deal (POST /api/customers/{customer}/deals) stops this clock: "
                + "follow-ups, visits and completing this task do not."),
            _ => new(key, repId, customer, TaskKinds.FollowUp,
                Clip($"Follow up before it returns to the pool: {Name(name)}"),
                $"{drops} unless followed up ({why})."),
        };
    }

    public static MorningReason Occasion(string repId, Guid customer, string? name, string field, DateOnly original, DateOnly on) => new(
        $"occasion:{customer}:{field}:{on.Year}", repId, customer, TaskKinds.Call,
        Clip($"{Label(field)} on {on:ddd d MMM}: {Name(name)}"),
        $"{Label(field)} {original:yyyy-MM-dd}" + (on.Year > original.Year ? $" ({on.Year - original.Year} years)" : "") + $", on {on:yyyy-MM-dd}.");

    private static string MonthDay(DateOnly d) => d.ToString("MM-dd", CultureInfo.InvariantCulture);

    private static string Name(string? name) => string.IsNullOrWhiteSpace(name) ? "(no name)" : name;

    private static string Label(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200];
}
