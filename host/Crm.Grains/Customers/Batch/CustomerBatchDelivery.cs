using Crm.Grains.Assignment;
using Crm.Grains.Leaderboards;
using Crm.Grains.Outbox;
using Crm.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Customers.Batch;

/// <summary>
/// Delivers the outbox entries of a batch of created customers and deletes them: the leads are announced to each
/// pool's assignment in one call, the index entries are skipped (the batch settled the index itself), anything else
/// is delivered as the grain would, but for the leaderboard hints, one per rep for the batch. Never throws: what is not
/// delivered stays in the outbox for the sweep.
/// </summary>
public sealed class CustomerBatchDelivery(IGrainFactory grains, OutboxDelivery delivery, SqlBatchWriter writer, ILogger<CustomerBatchDelivery> logger)
{
    private static readonly ParallelOptions EffectsInFlight = new() { MaxDegreeOfParallelism = 32 };

    public async Task DeliverAsync(IReadOnlyList<StoredCustomer> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var pool in stored.SelectMany(s => s.Effects.OfType<AnnounceLead>()).GroupBy(a => (a.PoolId, a.Trigger)))
            {
                // One-way, as one lead's announcement is.
                _ = grains.GetGrain<IAssignmentGrain>(pool.Key.PoolId).LeadsEntered(pool.Select(a => a.CustomerId).ToList(), pool.Key.Trigger);
            }

            // A rep's boards hear once per batch which metrics moved, not once per customer: a board unites the metrics it is
            // told and pushes one hint a window, so a million created leads were three million grain calls for the same hint.
            foreach (var touched in TouchLeaderboards.Merge(stored.SelectMany(s => s.Effects.OfType<TouchLeaderboards>())))
            {
                await delivery.RunAsync(touched);
            }

            // The customers one beside another (32 at once), each one's effects in their order, as its grain delivers them:
            // the flags stored with a batch's leads each notify their unit, and the unit's inboxes store many at once.
            var rest = stored.Select(s => s.Effects.Where(e => e is not AnnounceLead and not IndexDedup and not TouchLeaderboards).ToList())
                .Where(e => e.Count > 0);
            await Parallel.ForEachAsync(rest, EffectsInFlight, async (effects, _) =>
            {
                foreach (var effect in effects)
                {
                    await delivery.RunAsync(effect);
                }
            });

            // The entry of each creation's commit (version 1, or more when flags were stored with it), and no later one.
            await writer.WriteAsync(OutboxDeletes.Lists, stored.Select(s => new OutboxKey(s.Id.ToString(), s.Version)).ToList());
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Side effects of {Count} imported customers not delivered yet; the outbox sweep retries them", stored.Count);
        }
    }
}
