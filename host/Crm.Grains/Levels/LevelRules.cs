using Crm.Grains.Customers;
using Crm.Grains.Deals;

namespace Crm.Grains.Levels;

/// <summary>The level rule over order frequency × order size: plain, so the grain and the tests read it alike.</summary>
public static class LevelRules
{
    /// <summary>The purchases a customer's snapshot knows of: its won deals at their won amount and time.</summary>
    public static IReadOnlyList<Purchase> PurchasesOf(CustomerState state) =>
        state.Deals.Values.Where(d => d.Status == DealStatus.Won && d.ClosedAt is not null)
            .Select(d => new Purchase(d.ClosedAt!.Value, d.Amount, d.Currency))
            .ToList();

    /// <summary>
    /// The level the rule gives, or null when the rule is off or the customer has no order in the window (a level is
    /// then left as it is).
    /// </summary>
    public static LevelVerdict? Compute(LevelSettings settings, IReadOnlyList<Purchase> purchases, DateTimeOffset now)
    {
        var rule = settings.Rule;
        if (!rule.Enabled)
        {
            return null;
        }

        var counted = purchases.Where(p => p.Currency == rule.Currency && p.At > now.AddDays(-rule.WindowDays) && p.At <= now).ToList();
        if (counted.Count == 0)
        {
            return null;
        }

        var average = counted.Average(p => p.Amount);
        var tier = rule.Tiers.FirstOrDefault(t => counted.Count >= t.MinOrders && average >= t.MinAverageAmount);
        var level = tier?.Level ?? rule.Fallback;
        return level is null ? null : new LevelVerdict(level, counted.Count, decimal.Round(average, 2));
    }
}

/// <summary>A level the rule gave, with what it counted: the timeline shows why.</summary>
public sealed record LevelVerdict(string Level, int Orders, decimal AverageAmount);
