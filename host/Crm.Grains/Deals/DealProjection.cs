using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Money;

namespace Crm.Grains.Deals;

/// <summary>
/// The deals' read model, written in the customer's commit: <c>deals</c> (one row per deal, versioned by the customer's
/// version), <c>deal_lines</c> (from the event that opened the deal) and <c>deal_attempts</c> (one row per attempt event).
/// A re-projection (a commit of no events) writes every deal row again from the snapshot.
/// </summary>
public sealed class DealProjection : ICustomerProjection
{
    public const string UpsertDealSql = """
        INSERT INTO deals (id, customer_id, title, amount_e4, currency, rep_id, rep_unit_id, pipeline_id, stage_key, probability,
                           status, expected_close_ms, created_ms, updated_ms, closed_ms, lose_reason, version)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16)
        ON CONFLICT (id) DO UPDATE SET
            title = excluded.title, amount_e4 = excluded.amount_e4, currency = excluded.currency, rep_id = excluded.rep_id,
            rep_unit_id = excluded.rep_unit_id, pipeline_id = excluded.pipeline_id, stage_key = excluded.stage_key,
            probability = excluded.probability, status = excluded.status, expected_close_ms = excluded.expected_close_ms,
            updated_ms = excluded.updated_ms, closed_ms = excluded.closed_ms, lose_reason = excluded.lose_reason, version = excluded.version
        WHERE excluded.version >= deals.version
        """;

    private const string InsertLineSql = """
        INSERT INTO deal_lines (deal_id, line_no, product_id, name, quantity_e4, unit_price_e4, discount_e4, total_e4)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)
        ON CONFLICT (deal_id, line_no) DO NOTHING
        """;

    private const string InsertAttemptSql = """
        INSERT INTO deal_attempts (customer_id, seq, deal_id, rep_id, actor_id, pipeline_id, stage_key, kind, outcome, reason, at_ms)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)
        ON CONFLICT (customer_id, seq) DO NOTHING
        """;

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        if (events.Count == 0)
        {
            into.AddRange(after.Deals.Values.Select(d => Row(id, d)));
            return;
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case DealOpened opened:
                    changed.Add(opened.DealId);
                    into.AddRange(opened.Lines.Select((line, n) => new CommitStatement(InsertLineSql, opened.DealId, (long)n + 1, line.ProductId,
                        line.Name, Amounts.ToE4(line.Quantity), Amounts.ToE4(line.UnitPrice), Amounts.ToE4(line.Discount), Amounts.ToE4(line.Total))));
                    break;
                case DealAttempted a:
                    changed.Add(a.DealId);
                    into.Add(new CommitStatement(InsertAttemptSql, id, firstSeq + i, a.DealId, a.RepId, a.ActorId, a.PipelineId, a.StageKey,
                        a.AttemptKind, a.Outcome, a.Reason, UnixTime.ToMs(a.At)));
                    break;
                case DealStageMoved m:
                    changed.Add(m.DealId);
                    break;
                case DealClosedWon w:
                    changed.Add(w.DealId);
                    break;
                case DealClosedLost l:
                    changed.Add(l.DealId);
                    break;
                case DealRepChanged r:
                    changed.Add(r.DealId);
                    break;
            }
        }

        into.AddRange(changed.Where(after.Deals.ContainsKey).Select(d => Row(id, after.Deals[d])));
    }

    private static CommitStatement Row(string customerId, DealRecord d) => new(UpsertDealSql,
        d.Id, customerId, d.Title, Amounts.ToE4(d.Amount), d.Currency, d.RepId, d.RepUnitId, d.PipelineId, d.StageKey, (long)d.Probability,
        DealStatusNames.Of(d.Status), d.ExpectedClose is { } close ? (long?)UnixTime.ToMs(new DateTimeOffset(close.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) : null,
        UnixTime.ToMs(d.CreatedAt), UnixTime.ToMs(d.UpdatedAt), UnixTime.ToMs(d.ClosedAt), d.LoseReason, d.Version);
}
