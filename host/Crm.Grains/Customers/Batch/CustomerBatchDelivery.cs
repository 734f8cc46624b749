using Crm.Grains.Assignment;
using Crm.Grains.Outbox;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Customers.Batch;

/// <summary>
/// Delivers the outbox entries of a batch of created customers and deletes them: the leads are announced to each
/// pool's assignment in one call, the index entries are skipped (the batch settled the index itself), anything else
/// is delivered as the grain would. Never throws: what is not delivered stays in the outbox for the sweep.
/// </summary>
public sealed class CustomerBatchDelivery(IGrainFactory grains, OutboxDelivery delivery, SqlBatchWriter writer, ILogger<CustomerBatchDelivery> logger)
{
    public async Task DeliverAsync(IReadOnlyList<(Guid Id, List<OutboxEffect> Effects)> stored)
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

            foreach (var effect in stored.SelectMany(s => s.Effects).Where(e => e is not AnnounceLead and not IndexDedup))
            {
                await delivery.RunAsync(effect);
            }

            var keys = stored.Select(s => new { id = s.Id.ToString() }).ToList();
            await writer.WriteAsync((connection, transaction) =>
                connection.Execute("DELETE FROM customer_outbox WHERE customer_id = @id AND version = 1", keys, transaction));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Side effects of {Count} imported customers not delivered yet; the outbox sweep retries them", stored.Count);
        }
    }
}
