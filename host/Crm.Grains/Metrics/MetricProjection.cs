using System.Globalization;
using Crm.Grains.Contracts.Events;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Money;
using Crm.Grains.Storage;
using Crm.Grains.Visits.Events;

namespace Crm.Grains.Metrics;

/// <summary>
/// Keeps <c>rep_day_metrics</c> current in the customer's commit: each event that counts adds its delta to the row of
/// (rep, local day, metric, currency), and writes the same delta to the <c>metric_facts</c> ledger keyed by the event,
/// which is what makes a second write of the same commit add nothing. A merged-away duplicate takes back its
/// "new customer" from the day it was counted. Counts also go to the rep's ISO week, month and quarter
/// (<c>rep_period_metrics</c>), so boards and progress over whole periods read one row per rep and period. A
/// re-projection (no events) writes nothing: the rows are sums, not state.
/// </summary>
public sealed class MetricProjection(RepCalendars calendars, CrmDatabase database) : ICustomerProjection
{
    private const string AddSql = """
        INSERT INTO rep_day_metrics (rep_id, day, metric, currency, value_e4)
        SELECT @p0, @p1, @p2, @p3, @p4
        WHERE NOT EXISTS (SELECT 1 FROM metric_facts WHERE customer_id = @p5 AND seq = @p6 AND metric = @p2)
        ON CONFLICT (rep_id, day, metric, currency) DO UPDATE SET value_e4 = rep_day_metrics.value_e4 + excluded.value_e4
        """;

    // Counts are also added to the rep's week, month and quarter (money is not: it converts at each day's rate), before
    // the ledger row; the three rows in one statement, since the commit holds the database's one writer while it runs.
    private const string AddPeriodsSql = """
        INSERT INTO rep_period_metrics (metric, period, rep_id, value_e4)
        SELECT @p0, p.column1, @p4, @p5 FROM (VALUES (@p1), (@p2), (@p3)) AS p
        WHERE NOT EXISTS (SELECT 1 FROM metric_facts WHERE customer_id = @p6 AND seq = @p7 AND metric = @p0)
        ON CONFLICT (metric, period, rep_id) DO UPDATE SET value_e4 = rep_period_metrics.value_e4 + excluded.value_e4
        """;

    // The same additions unguarded, for customers created together (SummedStatements): keys first, then the amount.
    private const string AddSummedSql = """
        INSERT INTO rep_day_metrics (rep_id, day, metric, currency, value_e4) VALUES (@p0, @p1, @p2, @p3, @p4)
        ON CONFLICT (rep_id, day, metric, currency) DO UPDATE SET value_e4 = rep_day_metrics.value_e4 + excluded.value_e4
        """;

    private const string AddPeriodsSummedSql = """
        INSERT INTO rep_period_metrics (metric, period, rep_id, value_e4)
        SELECT @p0, p.column1, @p4, @p5 FROM (VALUES (@p1), (@p2), (@p3)) AS p WHERE 1 = 1
        ON CONFLICT (metric, period, rep_id) DO UPDATE SET value_e4 = rep_period_metrics.value_e4 + excluded.value_e4
        """;

    private const string FactSql = """
        INSERT INTO metric_facts (customer_id, seq, metric, rep_id, day, currency, value_e4)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        ON CONFLICT (customer_id, seq, metric) DO NOTHING
        """;

    // A customer has one Created, so at most one earlier fact of the metric: the reversal is one row.
    private const string ReverseSql = """
        INSERT INTO rep_day_metrics (rep_id, day, metric, currency, value_e4)
        SELECT f.rep_id, f.day, f.metric, f.currency, -f.value_e4 FROM metric_facts f
        WHERE f.customer_id = @p0 AND f.metric = @p2 AND f.seq < @p1
          AND NOT EXISTS (SELECT 1 FROM metric_facts WHERE customer_id = @p0 AND seq = @p1 AND metric = @p2)
        ON CONFLICT (rep_id, day, metric, currency) DO UPDATE SET value_e4 = rep_day_metrics.value_e4 + excluded.value_e4
        """;

    // The periods of the fact's day, as the schema's backfill (76-rep-period-metrics.sql) writes them.
    private const string SqliteWeek = """
        strftime('%Y', date(f.day, '-3 days', 'weekday 4')) || '-W' || printf('%02d', (CAST(strftime('%j', date(f.day, '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1)
        """;

    private const string PostgresWeek = """to_char(f.day::date, 'IYYY-"W"IW')""";

    private const string ReversePeriodsSql = """
        INSERT INTO rep_period_metrics (metric, period, rep_id, value_e4)
        SELECT metric, period, rep_id, value_e4 FROM (
            SELECT f.metric, {week} AS period, f.rep_id, -f.value_e4 AS value_e4 FROM metric_facts f WHERE {taken}
            UNION ALL SELECT f.metric, substr(f.day, 1, 7), f.rep_id, -f.value_e4 FROM metric_facts f WHERE {taken}
            UNION ALL SELECT f.metric, substr(f.day, 1, 4) || '-Q' || ((CAST(substr(f.day, 6, 2) AS INTEGER) + 2) / 3), f.rep_id, -f.value_e4
            FROM metric_facts f WHERE {taken}
        ) periods WHERE 1 = 1
        ON CONFLICT (metric, period, rep_id) DO UPDATE SET value_e4 = rep_period_metrics.value_e4 + excluded.value_e4
        """;

    private const string Taken = """
        f.customer_id = @p0 AND f.metric = @p2 AND f.seq < @p1 AND f.currency = ''
          AND NOT EXISTS (SELECT 1 FROM metric_facts WHERE customer_id = @p0 AND seq = @p1 AND metric = @p2)
        """;

    private const string ReverseFactSql = """
        INSERT INTO metric_facts (customer_id, seq, metric, rep_id, day, currency, value_e4)
        SELECT f.customer_id, @p1, f.metric, f.rep_id, f.day, f.currency, -f.value_e4 FROM metric_facts f
        WHERE f.customer_id = @p0 AND f.metric = @p2 AND f.seq < @p1
        ON CONFLICT (customer_id, seq, metric) DO NOTHING
        """;

    private const long One = 10_000;

    /// <summary>The periods whose rows a count is added to (a day's rows are rep_day_metrics).</summary>
    public static readonly PeriodKind[] PeriodKinds = [PeriodKind.Week, PeriodKind.Month, PeriodKind.Quarter];

    private static string Period(int kind, DateOnly day) => ReportPeriod.Of(PeriodKinds[kind], day).Text;

    private readonly string _reversePeriodsSql = ReversePeriodsSql.Replace("{taken}", Taken)
        .Replace("{week}", database.Provider == DatabaseProvider.PostgreSql ? PostgresWeek : SqliteWeek.Trim());

    public async ValueTask PrepareAsync(IReadOnlyList<CustomerEvent> events)
    {
        foreach (var rep in events.Select(CreditedRep).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await calendars.ForRepAsync(rep);
        }
    }

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        for (var i = 0; i < events.Count; i++)
        {
            var seq = firstSeq + i;
            if (events[i] is MergedAway)
            {
                into.Add(new CommitStatement(ReverseSql, id, seq, MetricNames.NewCustomers));
                into.Add(new CommitStatement(_reversePeriodsSql, id, seq, MetricNames.NewCustomers));
                into.Add(new CommitStatement(ReverseFactSql, id, seq, MetricNames.NewCustomers));
                continue;
            }

            if (CreditedRep(events[i]) is not { } rep)
            {
                continue;
            }

            var date = calendars.Latest(rep).LocalDate(events[i].At);
            var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var (metric, currency, value) in Deltas(events[i]))
            {
                into.Add(new CommitStatement(AddSql, rep, day, metric, currency, value, id, seq)
                {
                    Summed = new SummedAddition(AddSummedSql, [rep, day, metric, currency], value),
                });
                if (currency.Length == 0)
                {
                    var (week, month, quarter) = (Period(0, date), Period(1, date), Period(2, date));
                    into.Add(new CommitStatement(AddPeriodsSql, metric, week, month, quarter, rep, value, id, seq)
                    {
                        Summed = new SummedAddition(AddPeriodsSummedSql, [metric, week, month, quarter, rep], value),
                    });
                }

                into.Add(new CommitStatement(FactSql, id, seq, metric, rep, day, currency, value));
            }
        }
    }

    /// <summary>Who an event counts for: the rep of a won deal or a payment, the one who followed up or visited, the owner a customer was created for (else its creator).</summary>
    public static string? CreditedRep(CustomerEvent e) => e switch
    {
        Created c => c.OwnerId ?? c.ActorId,
        FollowedUp f => f.ActorId,
        VisitCheckedIn v => v.ActorId,
        DealClosedWon w => w.RepId,
        PaymentRecorded p => p.RepId,
        _ => null,
    };

    /// <summary>The metrics an event moves (the leaderboards they are on hear of it).</summary>
    public static IEnumerable<string> MetricsOf(CustomerEvent e) => Deltas(e).Select(d => d.Metric);

    /// <summary>What an event adds (a refund is a negative payment, so it takes back from its own day).</summary>
    private static IEnumerable<(string Metric, string Currency, long ValueE4)> Deltas(CustomerEvent e)
    {
        switch (e)
        {
            case Created:
                yield return (MetricNames.NewCustomers, "", One);
                break;
            case FollowedUp:
                yield return (MetricNames.FollowUps, "", One);
                break;
            case VisitCheckedIn:
                yield return (MetricNames.Visits, "", One);
                break;
            case DealClosedWon w:
                yield return (MetricNames.DealsWon, "", One);
                yield return (MetricNames.WonAmount, w.Currency, Amounts.ToE4(w.Amount));
                break;
            case PaymentRecorded p:
                yield return (MetricNames.PaymentsReceived, p.Currency, Amounts.ToE4(p.Amount));
                break;
        }
    }
}
