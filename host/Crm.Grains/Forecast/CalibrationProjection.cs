using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.Forecast;

/// <summary>
/// Keeps each rep's calibration current in the customer's commit: a won or lost deal adds one closed deal, its stated
/// probability (the one just before the close) and whether it was won to the rep's <c>rep_calibration</c> row, guarded
/// by the <c>forecast_closed</c> ledger keyed by the event (so a commit written twice adds once). A re-projection writes
/// nothing: the rows are sums of events.
/// </summary>
public sealed class CalibrationProjection : ICustomerProjection
{
    private const string AddSql = """
        INSERT INTO rep_calibration (rep_id, closed, won, stated_sum)
        SELECT @p0, 1, @p1, @p2
        WHERE NOT EXISTS (SELECT 1 FROM forecast_closed WHERE customer_id = @p3 AND seq = @p4)
        ON CONFLICT (rep_id) DO UPDATE SET closed = rep_calibration.closed + 1, won = rep_calibration.won + excluded.won,
            stated_sum = rep_calibration.stated_sum + excluded.stated_sum
        """;

    private const string FactSql = """
        INSERT INTO forecast_closed (customer_id, seq, deal_id, rep_id, probability, won, closed_ms) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        ON CONFLICT (customer_id, seq) DO NOTHING
        """;

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        for (var i = 0; i < events.Count; i++)
        {
            var (deal, rep, stated, won) = events[i] switch
            {
                DealClosedWon w => (w.DealId, w.RepId, w.ProbabilityBefore, 1),
                DealClosedLost l => (l.DealId, l.RepId, l.ProbabilityBefore, 0),
                _ => ((string?)null, (string?)null, 0, 0),
            };
            if (deal is null || rep is null)
            {
                continue;
            }

            into.Add(new CommitStatement(AddSql, rep, won, stated, id, firstSeq + i));
            into.Add(new CommitStatement(FactSql, id, firstSeq + i, deal, rep, stated, won, UnixTime.ToMs(events[i].At)));
        }
    }
}
