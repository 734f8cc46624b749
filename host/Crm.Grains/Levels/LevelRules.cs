using Crm.Grains.Customers;
using Crm.Grains.Deals;
using Crm.Grains.Money;

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
    public static LevelVerdict? Compute(LevelSettings settings, IReadOnlyList<Purchase> purchases, DateTimeOffset now, RateTable? rates = null)
    {
        var rule = settings.Rule;
        if (!rule.Enabled)
        {
            return null;
        }

        var counted = purchases.Where(p => p.At > now.AddDays(-rule.WindowDays) && p.At <= now)
            .Select(p => InCurrency(p, rule.Currency, rates))
            .OfType<decimal>()
            .ToList();
        if (counted.Count == 0)
        {
            return null;
        }

        var average = counted.Average();
        var tier = rule.Tiers.FirstOrDefault(t => counted.Count >= t.MinOrders && average >= t.MinAverageAmount);
        var level = tier?.Level ?? rule.Fallback;
        return level is null ? null : new LevelVerdict(level, counted.Count, decimal.Round(average, 2));
    }

    /// <summary>
    /// The order's amount in the rule's currency at the rate of the order's day (through the base currency); null when
    /// a rate is missing, and the order is then not counted until one is entered.
    /// </summary>
    public static decimal? InCurrency(Purchase purchase, string currency, RateTable? rates)
    {
        if (purchase.Currency == currency)
        {
            return purchase.Amount;
        }

        var day = DateOnly.FromDateTime(purchase.At.UtcDateTime);
        if (rates?.RateOn(purchase.Currency, day) is not { } from || rates.RateOn(currency, day) is not { Rate: > 0 } to)
        {
            return null;
        }

        return purchase.Amount * from.Rate / to.Rate;
    }
}

/// <summary>A level the rule gave, with what it counted: the timeline shows why.</summary>
public sealed record LevelVerdict(string Level, int Orders, decimal AverageAmount);
