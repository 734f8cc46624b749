using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Rfm;

/// <summary>A customer's purchases with who owns it and its name.</summary>
public sealed record OwnedPurchases(PurchaseSummary Summary, string? OwnerId, string? Name);

/// <summary>
/// Reads what <see cref="PurchaseProjection"/> keeps, for the customers matching a condition on <c>customers c</c>
/// (the caller's visibility and scope, or a set of owners): today's summaries from <c>rfm_customers</c> and
/// <c>rfm_money</c>, or, for an earlier day, the summaries as of that day from the purchase rows up to it.
/// </summary>
public sealed class PurchaseStore(CrmDatabase database)
{
    private sealed class SummaryRow
    {
        public string CustomerId { get; set; } = "";
        public string? OwnerId { get; set; }
        public string? Name { get; set; }
        public long PurchaseDays { get; set; }
        public long? LastDay { get; set; }
        public long? Day2 { get; set; }
        public long? Day3 { get; set; }
        public long? Day4 { get; set; }
    }

    private sealed class MoneyRow
    {
        public string CustomerId { get; set; } = "";
        public string Currency { get; set; } = "";
        public long AmountE4 { get; set; }
    }

    private sealed class HistoryRow
    {
        public string CustomerId { get; set; } = "";
        public string? OwnerId { get; set; }
        public string? Name { get; set; }
        public long DayNo { get; set; }
        public string Currency { get; set; } = "";
        public long AmountE4 { get; set; }
    }

    /// <summary>The current summaries of the customers matching <paramref name="condition"/> with at least <paramref name="minPurchaseDays"/> purchase days.</summary>
    public async Task<IReadOnlyList<OwnedPurchases>> CurrentAsync(string condition, DynamicParameters args, int minPurchaseDays = 0)
    {
        args.Add("minDays", minPurchaseDays);
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<SummaryRow>($"""
            SELECT r.customer_id AS CustomerId, c.owner_id AS OwnerId, c.name AS Name, r.purchase_days AS PurchaseDays,
                   r.last_day AS LastDay, r.day2 AS Day2, r.day3 AS Day3, r.day4 AS Day4
            FROM rfm_customers r JOIN customers c ON c.id = r.customer_id
            WHERE c.version > 0 AND r.purchase_days >= @minDays AND {condition}
            """, args)).ToList();
        var money = (await connection.QueryAsync<MoneyRow>($"""
            SELECT m.customer_id AS CustomerId, m.currency AS Currency, m.amount_e4 AS AmountE4
            FROM rfm_money m JOIN rfm_customers r ON r.customer_id = m.customer_id JOIN customers c ON c.id = m.customer_id
            WHERE c.version > 0 AND r.purchase_days >= @minDays AND {condition}
            """, args)).ToLookup(m => m.CustomerId, StringComparer.Ordinal);
        return rows.Select(r => new OwnedPurchases(new PurchaseSummary(Guid.Parse(r.CustomerId), (int)r.PurchaseDays,
                new[] { r.LastDay, r.Day2, r.Day3, r.Day4 }.OfType<long>().Select(d => DateOnly.FromDayNumber((int)d)).ToList(),
                money[r.CustomerId].ToDictionary(m => m.Currency, m => m.AmountE4 / 10_000m, StringComparer.Ordinal)), r.OwnerId, r.Name))
            .ToList();
    }

    /// <summary>The summaries as they were at the end of <paramref name="asOf"/>, from the purchase rows up to that day.</summary>
    public async Task<IReadOnlyList<OwnedPurchases>> AsOfAsync(string condition, DynamicParameters args, DateOnly asOf)
    {
        args.Add("asOfDay", asOf.DayNumber);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<HistoryRow>($"""
            SELECT p.customer_id AS CustomerId, c.owner_id AS OwnerId, c.name AS Name, p.day_no AS DayNo, p.currency AS Currency, p.amount_e4 AS AmountE4
            FROM rfm_purchases p JOIN customers c ON c.id = p.customer_id
            WHERE c.version > 0 AND p.day_no <= @asOfDay AND {condition}
            """, args);
        return rows.GroupBy(r => r.CustomerId, StringComparer.Ordinal)
            .Select(g => new OwnedPurchases(PurchaseSummary.Of(Guid.Parse(g.Key), g.Select(r => new PurchaseRow(r.CustomerId, (int)r.DayNo, r.Currency, r.AmountE4)), asOf),
                g.First().OwnerId, g.First().Name))
            .Where(p => p.Summary.PurchaseDays > 0 || p.Summary.Money.Values.Any(v => v != 0))
            .ToList();
    }

    /// <summary>The current summaries of the customers these reps own, with at least two purchase days (a rhythm to go by).</summary>
    public async Task<IReadOnlyList<OwnedPurchases>> OfOwnersAsync(IReadOnlyList<string> owners)
    {
        var result = new List<OwnedPurchases>();
        foreach (var chunk in owners.Chunk(400))
        {
            var args = new DynamicParameters();
            result.AddRange(await CurrentAsync(SqlIn.List("c.owner_id", chunk, args, "o"), args, minPurchaseDays: 2));
        }

        return result;
    }
}
