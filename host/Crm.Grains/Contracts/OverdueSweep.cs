using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Contracts;

/// <summary>
/// Finds instalments that fell overdue and has their customers raise PaymentOverdue. The due index is the read model:
/// <c>payment_plan.open_overdue_ms</c> is set only while an instalment is unpaid and not yet announced, so one indexed
/// range query per sweep finds the work, however many contracts exist; no reminder or timer per customer or instalment.
/// Every silo sweeps; the customer grain decides (once per instalment), so two silos finding the same row raise it once.
/// </summary>
public sealed class OverdueSweep(CrmDatabase database, IGrainFactory grains, TimeProvider clock, IOptions<OverdueOptions> options,
    ILogger<OverdueSweep> logger) : BackgroundService
{
    /// <summary>One sweep: the customers with an instalment overdue now and not announced, oldest first; answers how many events were raised.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> customers;
        await using (var connection = await database.OpenAsync())
        {
            customers = (await connection.QueryAsync<string>(new CommandDefinition("""
                SELECT customer_id FROM payment_plan WHERE open_overdue_ms <= @now
                GROUP BY customer_id ORDER BY MIN(open_overdue_ms) LIMIT @limit
                """, new { now = UnixTime.ToMs(clock.GetUtcNow()), limit = options.Value.OverdueSweepBatch }, cancellationToken: cancellationToken))).ToList();
        }

        var raised = 0;
        foreach (var customer in customers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            raised += await grains.GetGrain<ICustomerContracts>(Guid.Parse(customer)).RaiseOverdue();
        }

        return raised;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.OverdueSweepEvery, clock, stoppingToken);
                if (await SweepOnceAsync(stoppingToken) is > 0 and var raised)
                {
                    logger.LogInformation("Announced {Count} overdue instalments", raised);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The overdue sweep failed; it runs again in {Interval}", options.Value.OverdueSweepEvery);
            }
        }
    }
}
