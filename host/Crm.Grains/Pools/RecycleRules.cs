using Crm.Grains.Customers;

namespace Crm.Grains.Pools;

/// <summary>
/// The recycling rule of a pool as a plain function, shared by the rep grain (which schedules) and the
/// customer grain (which decides): the customer drops N days after its last follow-up, or M days after its
/// last deal, or K days after its last visit, whichever comes first. Both clocks start no earlier than the day the rep took it.
/// </summary>
public static class RecycleRules
{
    public static RecycleDeadline? DeadlineOf(RecycleFacts facts, PoolRuleSet rules)
    {
        if (rules.ExemptCustomers && facts.Stage == CustomerStage.Customer)
        {
            return null;
        }

        RecycleDeadline? first = null;
        if (rules.RecycleAfterDaysWithoutFollowUp is { } followUpDays)
        {
            var since = Later(facts.OwnedSince, facts.LastFollowUpAt);
            first = new RecycleDeadline(since.AddDays(followUpDays), RecycleDeadline.NoFollowUp, followUpDays);
        }

        if (rules.RecycleAfterDaysWithoutDeal is { } dealDays)
        {
            var since = Later(facts.OwnedSince, facts.LastDealAt);
            var byDeal = new RecycleDeadline(since.AddDays(dealDays), RecycleDeadline.NoDeal, dealDays);
            if (first is null || byDeal.At < first.At)
            {
                first = byDeal;
            }
        }

        if (rules.RecycleAfterDaysWithoutVisit is { } visitDays)
        {
            var since = Later(facts.OwnedSince, facts.LastVisitAt);
            var byVisit = new RecycleDeadline(since.AddDays(visitDays), RecycleDeadline.NoVisit, visitDays);
            if (first is null || byVisit.At < first.At)
            {
                first = byVisit;
            }
        }

        return first;
    }

    /// <summary>The warning thresholds (days before the drop) that have been reached at <paramref name="now"/>.</summary>
    public static IEnumerable<int> ReachedWarnings(DateTimeOffset deadline, DateTimeOffset now, IReadOnlyList<int> warnDaysBefore) =>
        warnDaysBefore.Where(days => now >= deadline.AddDays(-days));

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;
}
