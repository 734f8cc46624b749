using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Crm.Server.Storage;

/// <summary>
/// Moves customers written before the event log (their whole timeline inside the Orleans grain-state row) to the
/// event log: each timeline entry becomes an event, the rest becomes the snapshot, and the old row is deleted in the
/// same transaction. Runs while the silo starts, before any grain can activate; idempotent, so a crash half-way or two
/// silos starting together simply continue where the other left off.
/// </summary>
public sealed class LegacyCustomerMigration(
    CrmDatabase database,
    Serializer serializer,
    IOptions<ClusterOptions> cluster,
    ILogger<LegacyCustomerMigration> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Batch = 200;

    private const string LegacyStateName = "customer";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LegacyCustomerMigration), ServiceLifecycleStage.ApplicationServices, _ => RunAsync());

    /// <summary>Migrates every legacy customer row; answers how many were moved.</summary>
    public async Task<int> RunAsync()
    {
        var moved = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync();
            var rows = (await connection.QueryAsync<(long N0, long N1, byte[] Payload)>(
                "SELECT GrainIdN0, GrainIdN1, PayloadBinary FROM OrleansStorage WHERE GrainTypeString = @type AND ServiceId = @service LIMIT @batch",
                new { type = LegacyStateName, service = cluster.Value.ServiceId, batch = Batch })).ToList();
            if (rows.Count == 0)
            {
                break;
            }

            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var (n0, n1, payload) in rows)
            {
                if (payload is not null)
                {
                    Migrate(connection, transaction, new Guid([.. BitConverter.GetBytes(n0), .. BitConverter.GetBytes(n1)]), payload);
                }

                await connection.ExecuteAsync(
                    "DELETE FROM OrleansStorage WHERE GrainTypeString = @type AND ServiceId = @service AND GrainIdN0 = @n0 AND GrainIdN1 = @n1",
                    new { type = LegacyStateName, service = cluster.Value.ServiceId, n0, n1 }, transaction);
            }

            await transaction.CommitAsync();
            moved += rows.Count;
            logger.LogInformation("Event log migration: {Count} customers moved from grain state to the event log so far", moved);
        }

        return moved;
    }

    private void Migrate(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, Guid id, byte[] payload)
    {
        var state = serializer.Deserialize<CustomerState>(payload)!;
        var entries = serializer.Deserialize<LegacyTimeline>(payload)!.Timeline;
        var events = entries.Select(e => (e.Seq, Event: LegacyTimeline.ToEvent(e, state))).Where(x => x.Event is not null).ToList();
        state.Version = Math.Max(state.Version, entries.Count == 0 ? 0 : entries.Max(e => e.Seq));
        foreach (var (seq, e) in events)
        {
            switch (e)
            {
                case Crm.Grains.Customers.Events.Claimed or Crm.Grains.Customers.Events.Assigned
                    or Crm.Grains.Customers.Events.Released or Crm.Grains.Customers.Events.Recycled:
                    state.RememberOwnership(e!.Kind, e.Describe().Data["repId"]!, e.At);
                    break;
                case Crm.Grains.Customers.Events.NoteWritten note:
                    state.RememberNote(new RecentNote(note.NoteId, seq, note.At));
                    break;
                case Crm.Grains.Customers.Events.MergedAway away:
                    state.OwnerBeforeMerge = away.OwnerId;
                    break;
            }
        }

        var inserted = connection.Execute("""
            INSERT INTO customer_snapshots (customer_id, version, state, updated_ms) VALUES (@id, @version, @state, @updated)
            ON CONFLICT (customer_id) DO NOTHING
            """, new { id = id.ToString(), version = state.Version, state = serializer.SerializeToArray(state), updated = UnixTime.ToMs(state.UpdatedAt) }, transaction);
        if (inserted == 0)
        {
            return; // already moved (by another silo, or before a crash): its log is there
        }

        connection.Execute("""
            INSERT INTO customer_events (customer_id, seq, at_ms, recorded_ms, kind, actor_id, data)
            VALUES (@CustomerId, @Seq, @AtMs, @AtMs, @Kind, @ActorId, @Json)
            """, events.Select(x => new
        {
            CustomerId = id.ToString(),
            Seq = (long)x.Seq,
            AtMs = UnixTime.ToMs(x.Event!.At),
            x.Event.Kind,
            x.Event.ActorId,
            Json = EventJson.Write(x.Event),
        }), transaction);
    }
}
