using System.Globalization;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Metrics;

namespace Crm.Grains.DailyReports;

/// <summary>
/// What the daily report needs beyond <c>rep_day_metrics</c>, kept in the customer's commit: one row per follow-up
/// (rep, the rep's local day, type, outcome) so a day's follow-ups group by type and outcome without the event log,
/// and per customer the last time it moved along the funnel (created, a stage move, a deal opened, moved or won), which
/// the traffic light reads. Rows are keyed by the event (or only ever move forward), so a commit written twice writes once.
/// </summary>
public sealed class DailyActivityProjection(RepCalendars calendars) : ICustomerProjection
{
    private const string FollowUpSql = """
        INSERT INTO daily_follow_ups (customer_id, seq, rep_id, day, type, outcome) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
        ON CONFLICT (customer_id, seq) DO NOTHING
        """;

    // Both columns only move forward: a commit written twice, or events logged late, never move them back.
    private const string MovedSql = """
        INSERT INTO customer_pulse (customer_id, moved_ms) VALUES (@p0, @p1)
        ON CONFLICT (customer_id) DO UPDATE SET moved_ms = CASE WHEN customer_pulse.moved_ms IS NULL OR excluded.moved_ms > customer_pulse.moved_ms
            THEN excluded.moved_ms ELSE customer_pulse.moved_ms END
        """;

    private const string OwnedSql = """
        INSERT INTO customer_pulse (customer_id, owned_ms) VALUES (@p0, @p1)
        ON CONFLICT (customer_id) DO UPDATE SET owned_ms = CASE WHEN customer_pulse.owned_ms IS NULL OR excluded.owned_ms > customer_pulse.owned_ms
            THEN excluded.owned_ms ELSE customer_pulse.owned_ms END
        """;

    public const int MaxOutcome = 200;

    public async ValueTask PrepareAsync(IReadOnlyList<CustomerEvent> events)
    {
        foreach (var rep in events.OfType<FollowedUp>().Select(f => f.ActorId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await calendars.ForRepAsync(rep);
        }
    }

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        long? moved = null;
        long? owned = null;
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case FollowedUp { ActorId: { } rep } f:
                    var day = calendars.Latest(rep).LocalDate(f.At).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    into.Add(new CommitStatement(FollowUpSql, id, firstSeq + i, rep, day, f.Type.ToLowerInvariant(), Clip(f.Outcome)));
                    break;
                case Created { OwnerId: not null } c:
                    moved = Later(moved, c.At);
                    owned = Later(owned, c.At);
                    break;
                case Claimed or Assigned:
                    owned = Later(owned, events[i].At);
                    break;
                case Created or StageMoved or DealOpened or DealStageMoved or DealClosedWon:
                    moved = Later(moved, events[i].At);
                    break;
            }
        }

        if (moved is { } movedMs)
        {
            into.Add(new CommitStatement(MovedSql, id, movedMs));
        }

        if (owned is { } ownedMs)
        {
            into.Add(new CommitStatement(OwnedSql, id, ownedMs));
        }
    }

    private static long Later(long? ms, DateTimeOffset at) => Math.Max(ms ?? long.MinValue, at.ToUnixTimeMilliseconds());

    private static string Clip(string? outcome) => (outcome ?? "").Trim() is var o && o.Length > MaxOutcome ? o[..MaxOutcome] : (outcome ?? "").Trim();
}
