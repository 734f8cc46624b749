using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.Sequences;

/// <summary>
/// Stops a customer's sequences in the customer's own commit, so no step of a customer who replied, bought or left the
/// rep is shown after that moment: a follow-up whose outcome a sequence lists as a stop (its steps' stopOn and the
/// configured positive outcomes), a won deal, a release, a recycle, a merge into another customer.
/// </summary>
public sealed class SequenceProjection : ICustomerProjection
{
    private const string StopWhenOutcome = """
        UPDATE sequence_enrolments SET status = 'stopped', stop_reason = @p1, stopped_ms = @p2
        WHERE customer_id = @p0 AND status = 'active'
          AND EXISTS (SELECT 1 FROM sequence_stop_outcomes o WHERE o.sequence_id = sequence_enrolments.sequence_id AND o.outcome = @p3)
        """;

    private const string StopAll = """
        UPDATE sequence_enrolments SET status = 'stopped', stop_reason = @p1, stopped_ms = @p2 WHERE customer_id = @p0 AND status = 'active'
        """;

    /// <summary>The planned steps of every enrolment of the customer that is no longer active.</summary>
    private const string StopSteps = """
        UPDATE sequence_steps SET status = 'stopped'
        WHERE customer_id = @p0 AND status = 'planned'
          AND EXISTS (SELECT 1 FROM sequence_enrolments e WHERE e.sequence_id = sequence_steps.sequence_id
                      AND e.customer_id = sequence_steps.customer_id AND e.status = 'stopped')
        """;

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        var stops = 0;
        foreach (var evt in events)
        {
            var at = UnixTime.ToMs(evt.At);
            var statement = evt switch
            {
                FollowedUp { Outcome: { } outcome } => new CommitStatement(StopWhenOutcome, id, SequenceStatuses.StopReply, at, Normalize(outcome)),
                DealClosedWon => new CommitStatement(StopAll, id, SequenceStatuses.StopWon, at),
                Released => new CommitStatement(StopAll, id, SequenceStatuses.StopReleased, at),
                Recycled => new CommitStatement(StopAll, id, SequenceStatuses.StopRecycled, at),
                MergedAway => new CommitStatement(StopAll, id, SequenceStatuses.StopMerged, at),
                _ => null,
            };
            if (statement is not null)
            {
                into.Add(statement);
                stops++;
            }
        }

        if (stops > 0)
        {
            into.Add(new CommitStatement(StopSteps, id));
        }
    }

    /// <summary>Outcomes compare trimmed and in lower case.</summary>
    public static string Normalize(string outcome) => outcome.Trim().ToLowerInvariant();
}
