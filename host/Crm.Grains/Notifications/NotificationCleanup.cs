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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.CleanupEvery, clock, logger, "notification cleanup", _ => RunOnceAsync(), stoppingToken);
}
