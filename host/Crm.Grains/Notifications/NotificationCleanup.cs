using Crm.Grains.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Notifications;

/// <summary>
/// Deletes notifications past retention, in every silo (the delete is idempotent, so silos need not agree who does it).
/// Waits on the injected clock, once per <see cref="NotificationOptions.CleanupEvery"/>: a fake clock moved by days
/// runs it once per move, not once per period skipped.
/// </summary>
public sealed class NotificationCleanup(NotificationStore store, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationCleanup> logger)
    : BackgroundService
{
    /// <summary>Deletes what is past retention now; answers how many.</summary>
    public async Task<int> RunOnceAsync()
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var deleted = await store.DeleteStoredBeforeAsync(UnixTime.ToMs(cutoff));
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} notifications stored before {Cutoff}", deleted, cutoff);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.CleanupEvery, clock, stoppingToken);
                try
                {
                    await RunOnceAsync();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Notification cleanup failed; trying again in {Interval}", options.Value.CleanupEvery);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
