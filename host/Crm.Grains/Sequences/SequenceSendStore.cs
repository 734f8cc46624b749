using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Sequences;

/// <summary>
/// The send rows of sequence steps (<c>sequence_sends</c>): which steps a sweep should try now, and what became of a try.
/// A step's row is written with the step (<see cref="SequenceStore.WritePlanAsync"/>); only the step's rep grain updates it.
/// </summary>
public sealed class SequenceSendStore(CrmDatabase database, SqlBatchWriter writer)
{
    /// <summary>A step whose send is due, with what its message is rendered from.</summary>
    public sealed class DueSend
    {
        public string SequenceId { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public int StepIndex { get; set; }
        public int Attempts { get; set; }
        public string StepStatus { get; set; } = "";
        public string Channel { get; set; } = "";
        public string Steps { get; set; } = "";
        public string? Name { get; set; }
        public string? Company { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
    }

    /// <summary>Reps with a send due at <paramref name="now"/> (a range read on the partial index).</summary>
    public async Task<IReadOnlyList<string>> DueRepsAsync(DateTimeOffset now, int limit)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT DISTINCT rep_id FROM sequence_sends WHERE next_ms IS NOT NULL AND next_ms <= @now LIMIT @limit",
            new { now = UnixTime.ToMs(now), limit })).ToList();
    }

    public async Task<IReadOnlyList<DueSend>> DueAsync(string repId, DateTimeOffset now, int limit)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<DueSend>("""
            SELECT d.sequence_id AS SequenceId, d.customer_id AS CustomerId, d.step_index AS StepIndex, d.attempts AS Attempts,
                   s.status AS StepStatus, s.channel AS Channel, q.steps AS Steps,
                   c.name AS Name, c.company AS Company, c.phone AS Phone, c.email AS Email
            FROM sequence_sends d
            JOIN sequence_steps s ON s.sequence_id = d.sequence_id AND s.customer_id = d.customer_id AND s.step_index = d.step_index
            JOIN sequences q ON q.id = d.sequence_id
            LEFT JOIN customers c ON c.id = d.customer_id
            WHERE d.next_ms IS NOT NULL AND d.next_ms <= @now AND d.rep_id = @repId
            ORDER BY d.next_ms, d.customer_id, d.step_index LIMIT @limit
            """, new { repId, now = UnixTime.ToMs(now), limit })).ToList();
    }

    /// <summary>Records a try's outcome; a sent message also marks its step done (the rep need not), in the same transaction.</summary>
    public Task RecordAsync(DueSend send, string channel, SendPolicy.Decision decision, DateTimeOffset now) =>
        writer.WriteAsync((connection, transaction) =>
        {
            var key = new { send.SequenceId, send.CustomerId, send.StepIndex };
            connection.Execute("""
                UPDATE sequence_sends SET state = @State, channel = @channel, attempts = @Attempts, next_ms = @next, last_error = @Error, at_ms = @now
                WHERE sequence_id = @SequenceId AND customer_id = @CustomerId AND step_index = @StepIndex
                """, new
            {
                decision.State, channel, decision.Attempts, next = UnixTime.ToMs(decision.NextAt), decision.Error, now = UnixTime.ToMs(now),
                key.SequenceId, key.CustomerId, key.StepIndex,
            }, transaction);
            if (decision.State == SendPolicy.Sent)
            {
                connection.Execute("""
                    UPDATE sequence_steps SET status = 'done', outcome = @outcome, done_ms = @now
                    WHERE sequence_id = @SequenceId AND customer_id = @CustomerId AND step_index = @StepIndex AND status = 'planned'
                    """, new { outcome = SentOutcome, now = UnixTime.ToMs(now), key.SequenceId, key.CustomerId, key.StepIndex }, transaction);
            }
        });

    /// <summary>A step no longer planned (done by the rep, stopped) is not sent.</summary>
    public Task SkipAsync(DueSend send) => writer.WriteAsync((connection, transaction) => connection.Execute("""
        UPDATE sequence_sends SET state = 'skipped', next_ms = NULL
        WHERE sequence_id = @SequenceId AND customer_id = @CustomerId AND step_index = @StepIndex
        """, new { send.SequenceId, send.CustomerId, send.StepIndex }, transaction));

    /// <summary>The outcome of the follow-up recorded for a step a channel sent.</summary>
    public const string SentOutcome = "sent";
}
