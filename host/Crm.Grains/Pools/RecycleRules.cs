using Crm.Grains.Customers;

namespace Crm.Grains.Pools;

/// <summary>
/// The recycling rule of a pool as a plain function, shared by the rep grain (which schedules) and the
/// customer grain (which decides): the customer drops N days after its last follow-up, or M days without a deal,
/// or K days after its last visit, whichever comes first. Both clocks start no earlier than the day the rep took it.
/// A customer whose level the pool names in <see cref="PoolRuleSet.ByLevel"/> runs on that level's clocks instead.
/// </summary>
public static class RecycleRules
{
    public static RecycleDeadline? DeadlineOf(RecycleFacts facts, PoolRuleSet rules)
    {
        if (rules.ExemptCustomers && facts.Stage == CustomerStage.Customer)
        {
            return null;
        }

        var clocks = ClocksFor(facts, rules);
        if (clocks.Exempt)
        {
            return null;
        }

        RecycleDeadline? first = null;
        if (clocks.RecycleAfterDaysWithoutFollowUp is { } followUpDays)
        {
            var since = Later(facts.OwnedSince, facts.LastFollowUpAt);
            first = new RecycleDeadline(since.AddDays(followUpDays), RecycleDeadline.NoFollowUp, followUpDays);
        }

        // "No deal" means no open or won deal now: a deal in hand stops this clock; a lost one restarts it from the loss.
        if (clocks.RecycleAfterDaysWithoutDeal is { } dealDays && !facts.HasOpenOrWonDeal)
        {
            var since = Later(facts.OwnedSince, facts.LastDealAt);
            first = Earlier(first, new RecycleDeadline(since.AddDays(dealDays), RecycleDeadline.NoDeal, dealDays));
        }

        if (clocks.RecycleAfterDaysWithoutVisit is { } visitDays)
        {
            var since = Later(facts.OwnedSince, facts.LastVisitAt);
            first = Earlier(first, new RecycleDeadline(since.AddDays(visitDays), RecycleDeadline.NoVisit, visitDays));
        }

        return first;
    }

    /// <summary>The pool a recycled customer drops into: its level's destination, else the pool's, else the pool itself.</summary>
    public static string? DestinationOf(RecycleFacts facts, PoolRuleSet rules) =>
        ClocksFor(facts, rules).RecycleToPoolId ?? rules.RecycleToPoolId;

    /// <summary>The warning thresholds (days before the drop) that have been reached at <paramref name="now"/>.</summary>
    public static IEnumerable<int> ReachedWarnings(DateTimeOffset deadline, DateTimeOffset now, IReadOnlyList<int> warnDaysBefore) =>
        warnDaysBefore.Where(days => now >= deadline.AddDays(-days));

    private static LevelRecycleRule ClocksFor(RecycleFacts facts, PoolRuleSet rules) =>
        facts.Level is { } level && rules.ByLevel?.GetValueOrDefault(level) is { } byLevel
            ? byLevel
            : new LevelRecycleRule
            {
                RecycleAfterDaysWithoutFollowUp = rules.RecycleAfterDaysWithoutFollowUp,
                RecycleAfterDaysWithoutDeal = rules.RecycleAfterDaysWithoutDeal,
                RecycleAfterDaysWithoutVisit = rules.RecycleAfterDaysWithoutVisit,
            };

    private static RecycleDeadline Earlier(RecycleDeadline? first, RecycleDeadline next) => first is null || next.At < first.At ? next : first;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;
}
