using System.Diagnostics;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Crm.Grains.Outbox;

/// <summary>
/// Delivers the side effects of customer commits, at least once. The grain that committed hands its entry over
/// at once (<see cref="DeliverAsync"/>); each silo also sweeps the outbox table for entries nobody delivered (the
/// silo crashed after the commit, or a delivery failed), so they arrive without waiting for the customer grain to
/// wake. Delivered entries are deleted through the group-commit writer, many per transaction.
/// </summary>
public sealed class OutboxDispatcher(
    CrmDatabase database,
    SqlBatchWriter writer,
    Serializer serializer,
    OutboxDelivery delivery,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int SweepBatch = 500;

    public byte[] Serialize(IReadOnlyList<OutboxEffect> effects) => serializer.SerializeToArray(effects.ToList());

    /// <summary>
    /// Test hook (<see cref="OutboxOptions.TestCrashAfterCommitOf"/>): ends the process the way kill -9 does, right
    /// after a commit that holds an event of the configured kind and before its effects are delivered.
    /// </summary>
    public void CrashHereIfTestAsks(IEnumerable<string> committedKinds)
    {
        if (options.Value.TestCrashAfterCommitOf is { Length: > 0 } kind && committedKinds.Contains(kind))
        {
            logger.LogCritical("Test hook: killing the process after a '{Kind}' commit, before its side effects", kind);
            Process.GetCurrentProcess().Kill();
        }
    }

    /// <summary>
    /// Delivers one committed entry now, in order. Never throws: what fails stays in the table for the sweep.
    /// </summary>
    public async Task DeliverAsync(Guid customerId, long version, IReadOnlyList<OutboxEffect> effects)
    {
        try
        {
            foreach (var effect in effects)
            {
                await delivery.RunAsync(effect);
            }

            Forget(new OutboxKey(customerId.ToString(), version));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Side effects of customer {CustomerId} version {Version} not delivered yet; the outbox sweep retries them", customerId, version);
        }
    }

    /// <summary>Delivers the entries older than <see cref="OutboxOptions.RetryAfter"/>, oldest first; answers how many.</summary>
    public async Task<int> SweepAsync()
    {
        var cutoff = UnixTime.ToMs(clock.GetUtcNow() - options.Value.RetryAfter);
        List<(string CustomerId, long Version, byte[] Effects)> rows;
        await using (var connection = await database.OpenAsync())
        {
            rows = (await connection.QueryAsync<(string, long, byte[])>(
                "SELECT customer_id, version, effects FROM customer_outbox WHERE created_ms <= @cutoff ORDER BY created_ms, customer_id, version LIMIT @limit",
                new { cutoff, limit = SweepBatch })).ToList();
        }

        var delivered = 0;
        foreach (var (customerId, version, bytes) in rows)
        {
            try
            {
                foreach (var effect in serializer.Deserialize<List<OutboxEffect>>(bytes)!)
                {
                    await delivery.RunAsync(effect);
                }

                Forget(new OutboxKey(customerId, version));
                delivered++;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox entry of customer {CustomerId} version {Version} failed again; retried at the next sweep", customerId, version);
            }
        }

        if (delivered > 0)
        {
            logger.LogInformation("Outbox sweep delivered {Count} entries left undelivered", delivered);
        }

        return delivered;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The delay counts from when the server answers (not from when the process began): a slow start must not
            // let the first sweep run before the apps whose pushes it delivers could reconnect.
            await WhenStartedAsync(stoppingToken);
            await Task.Delay(options.Value.StartupDelay, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SweepAsync();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Outbox sweep failed; trying again in {Interval}", options.Value.SweepInterval);
                }

                await Task.Delay(options.Value.SweepInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    private void Forget(OutboxKey key) =>
        writer.WriteAsync(OutboxDeletes.Instance, key).ContinueWith(
            t => logger.LogWarning(t.Exception, "Could not delete delivered outbox entry {Key}; it will be delivered again", key),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
