using Crm.Grains.Contracts.Events;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Metrics;
using Crm.Grains.Money;

namespace Crm.Grains.Rfm;

/// <summary>
/// Keeps a customer's purchases current in its commit: each <see cref="PaymentRecorded"/> becomes a row of
/// <c>rfm_purchases</c> (keyed by the event, so a commit written twice adds once), dated by its local day in the rep's
/// calendar; then the customer's summary (<c>rfm_customers</c>: purchase days and the last four of them;
/// <c>rfm_money</c>: net money per currency) is rewritten from that customer's own rows. Rewriting from the rows rather
/// than adding to the summary keeps it right when a payment is recorded with an earlier date than the last one.
/// A re-projection (no events) writes nothing: the rows come from the events.
/// </summary>
public sealed class PurchaseProjection(RepCalendars calendars) : ICustomerProjection
{
    private const string PurchaseSql = """
        INSERT INTO rfm_purchases (customer_id, seq, day_no, currency, amount_e4) VALUES (@p0, @p1, @p2, @p3, @p4)
        ON CONFLICT (customer_id, seq) DO NOTHING
        """;

    private const string PurchaseDay = "SELECT DISTINCT day_no FROM rfm_purchases WHERE customer_id = @p0 AND amount_e4 > 0 ORDER BY day_no DESC LIMIT 1 OFFSET";

    private const string SummarySql = $"""
        INSERT INTO rfm_customers (customer_id, purchase_days, last_day, day2, day3, day4)
        SELECT @p0, (SELECT COUNT(DISTINCT day_no) FROM rfm_purchases WHERE customer_id = @p0 AND amount_e4 > 0),
               ({PurchaseDay} 0), ({PurchaseDay} 1), ({PurchaseDay} 2), ({PurchaseDay} 3)
        WHERE 1 = 1
        ON CONFLICT (customer_id) DO UPDATE SET purchase_days = excluded.purchase_days, last_day = excluded.last_day,
            day2 = excluded.day2, day3 = excluded.day3, day4 = excluded.day4
        """;

    private const string MoneySql = """
        INSERT INTO rfm_money (customer_id, currency, amount_e4)
        SELECT customer_id, currency, SUM(amount_e4) FROM rfm_purchases WHERE customer_id = @p0 AND currency = @p1 GROUP BY customer_id, currency
        ON CONFLICT (customer_id, currency) DO UPDATE SET amount_e4 = excluded.amount_e4
        """;

    public async ValueTask PrepareAsync(IReadOnlyList<CustomerEvent> events)
    {
        foreach (var rep in events.OfType<PaymentRecorded>().Select(p => p.RepId).Distinct(StringComparer.Ordinal))
        {
            await calendars.ForRepAsync(rep);
        }
    }

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        var currencies = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is PaymentRecorded p)
            {
                var day = calendars.Latest(p.RepId).LocalDate(p.At).DayNumber;
                into.Add(new CommitStatement(PurchaseSql, id, firstSeq + i, day, p.Currency, Amounts.ToE4(p.Amount)));
                currencies.Add(p.Currency);
            }
        }

        if (currencies.Count == 0)
        {
            return;
        }

        into.Add(new CommitStatement(SummarySql, id));
        foreach (var currency in currencies)
        {
            into.Add(new CommitStatement(MoneySql, id, currency));
        }
    }
}
