using System.Globalization;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Metrics;
using Crm.Grains.Visits.Events;

namespace Crm.Grains.Activity;

/// <summary>
/// Keeps <c>rep_day_activity</c> current in the customer's commit: each deal step (opened, moved, won, lost, a declined
/// attempt) and each follow-up, check-in and note adds one to its row of (rep, local day, pipeline, stage, measure,
/// detail), the day in the rep's unit calendar as for the rep metrics. An event's adds run only while the
/// <c>activity_facts</c> ledger has no row for it, and the ledger row follows them, so a commit written twice counts once.
/// </summary>
public sealed class ActivityProjection(RepCalendars calendars) : ICustomerProjection
{
    private const string AddSql = """
        INSERT INTO rep_day_activity (rep_id, day, pipeline_id, stage_key, measure, detail, count)
        SELECT @p0, @p1, @p2, @p3, @p4, @p5, 1
        WHERE NOT EXISTS (SELECT 1 FROM activity_facts WHERE customer_id = @p6 AND seq = @p7)
        ON CONFLICT (rep_id, day, measure, pipeline_id, stage_key, detail) DO UPDATE SET count = rep_day_activity.count + 1
        """;

    private const string FactSql = "INSERT INTO activity_facts (customer_id, seq) VALUES (@p0, @p1) ON CONFLICT (customer_id, seq) DO NOTHING";

    public async ValueTask PrepareAsync(IReadOnlyList<CustomerEvent> events)
    {
        foreach (var rep in events.Select(e => Counted(e)?.Rep).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await calendars.ForRepAsync(rep);
        }
    }

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        for (var i = 0; i < events.Count; i++)
        {
            if (Counted(events[i]) is not { } counted)
            {
                continue;
            }

            var day = calendars.Latest(counted.Rep).LocalDate(events[i].At).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var (pipeline, stage, measure, detail) in counted.Rows)
            {
                into.Add(new CommitStatement(AddSql, counted.Rep, day, pipeline, stage, measure, Bounded(detail), id, firstSeq + i));
            }

            into.Add(new CommitStatement(FactSql, id, firstSeq + i));
        }
    }

    /// <summary>Who an event counts for and the rows it adds one to; null for events the reports do not count.</summary>
    public static (string Rep, IReadOnlyList<(string Pipeline, string Stage, string Measure, string Detail)> Rows)? Counted(CustomerEvent e) => e switch
    {
        DealOpened o => (o.RepId, [(o.PipelineId, o.StageKey, ActivityMeasures.Entered, "")]),
        DealStageMoved m => (m.RepId, [(m.PipelineId, m.FromStageKey, ActivityMeasures.Moved, m.ToStageKey), (m.PipelineId, m.ToStageKey, ActivityMeasures.Entered, "")]),
        DealClosedWon w => (w.RepId, [(w.PipelineId, w.StageKey, ActivityMeasures.Won, "")]),
        DealClosedLost l => (l.RepId, [(l.PipelineId, l.StageKey, ActivityMeasures.Lost, l.Reason)]),
        DealAttempted { Outcome: "declined" } a => (a.RepId, [(a.PipelineId, a.StageKey, ActivityMeasures.Declined, a.Reason ?? "")]),
        FollowedUp { ActorId: { } actor } f => (actor, [("", "", ActivityMeasures.FollowUp, f.Type.ToLowerInvariant())]),
        VisitCheckedIn { ActorId: { } actor } => (actor, [("", "", ActivityMeasures.CheckIn, "")]),
        NoteWritten { ActorId: { } actor } => (actor, [("", "", ActivityMeasures.Note, "")]),
        _ => null,
    };

    // Reasons are free text of bounded length upstream; the key column stays short regardless.
    private static string Bounded(string detail) => detail.Length <= 200 ? detail : detail[..200];
}
