namespace Crm.Grains.Rfm;

/// <summary>
/// What a customer bought, as of a day: how many purchase days (days with a positive payment; refunds only lower the
/// money), the last four of them, newest first (the last three intervals), and the net money per currency.
/// </summary>
public sealed record PurchaseSummary(Guid CustomerId, int PurchaseDays, IReadOnlyList<DateOnly> LastDays, IReadOnlyDictionary<string, decimal> Money)
{
    public const int DaysKept = 4;

    public DateOnly? LastPurchase => LastDays.Count > 0 ? LastDays[0] : null;

    /// <summary>The summary of a customer's purchase rows (day number, currency, amount) up to and including <paramref name="asOf"/>.</summary>
    public static PurchaseSummary Of(Guid customerId, IEnumerable<PurchaseRow> rows, DateOnly asOf)
    {
        var upTo = rows.Where(r => r.DayNo <= asOf.DayNumber).ToList();
        var days = upTo.Where(r => r.AmountE4 > 0).Select(r => r.DayNo).Distinct().OrderDescending().ToList();
        var money = upTo.GroupBy(r => r.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.AmountE4) / 10_000m, StringComparer.Ordinal);
        return new PurchaseSummary(customerId, days.Count, days.Take(DaysKept).Select(DateOnly.FromDayNumber).ToList(), money);
    }
}

/// <summary>One payment of a customer as the purchase projection keeps it (a refund is negative).</summary>
public sealed record PurchaseRow(string CustomerId, int DayNo, string Currency, long AmountE4);
