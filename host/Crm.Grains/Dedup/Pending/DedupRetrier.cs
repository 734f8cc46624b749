using Crm.Grains.Common;
using Crm.Grains.Dedup.Reindex;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup.Pending;

/// <summary>
/// Every silo, every <see cref="DedupOptions.PendingRetryEvery"/>: indexes up to <see cref="DedupOptions.PendingBatch"/>
/// queued customers whose time has come. A failed attempt pushes that customer back (doubling, up to
/// <see cref="DedupOptions.PendingBackoffMax"/>) and ends the round: the strategy is likely still down, and the next
/// round comes soon enough. The queue is a table, so a restart loses nothing; two silos retrying the same customer
/// record its keys once (versioned) and flag a pair once. It also wakes a reindex job that a stopped silo was running.
/// </summary>
public sealed class DedupRetrier(DedupPendingQueue queue, DedupIndexer indexer, DedupReindexJobs jobs, IGrainFactory grains, TimeProvider clock,
    IOptions<DedupOptions> options, ILogger<DedupRetrier> logger) : BackgroundService
{
    /// <summary>One round; answers how many queued customers were indexed (or found gone).</summary>
    public async Task<int> RetryOnceAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var done = 0;
        foreach (var due in await queue.DueAsync(UnixTime.ToMs(clock.GetUtcNow()), o.PendingBatch, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            IndexOutcome outcome;
            try
            {
                outcome = await indexer.IndexAsync(Guid.Parse(due.CustomerId), "retry", compare: true);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = IndexOutcome.Failed($"{e.GetType().Name}: {e.Message}");
            }

            switch (outcome.Status)
            {
                case IndexStatus.Indexed or IndexStatus.Gone:
                    await queue.DoneAsync(due.CustomerId);
                    done++;
                    break;
                case IndexStatus.Failed:
                    var now = clock.GetUtcNow();
                    await queue.FailedAsync(due.CustomerId, UnixTime.ToMs(now + Backoff((int)Math.Min(due.Attempts + 1, 64), o)), outcome.Fault!, UnixTime.ToMs(now));
                    logger.LogWarning("Dedup indexing of queued customer {Customer} failed (attempt {Attempt}): {Fault}",
                        due.CustomerId, due.Attempts + 1, outcome.Fault);
                    return done;
            }
        }

        return done;
    }

    /// <summary>The wait after the n-th failed attempt: the retry interval doubled per attempt, at most the maximum.</summary>
    public static TimeSpan Backoff(int attempts, DedupOptions o) =>
        TimeSpan.FromTicks(Math.Min(o.PendingBackoffMax.Ticks, o.PendingRetryEvery.Ticks * (1L << Math.Clamp(attempts, 0, 20))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.PendingRetryEvery, clock, stoppingToken);
                if (await RetryOnceAsync(stoppingToken) is > 0 and var indexed)
                {
                    logger.LogInformation("Indexed {Count} queued customers", indexed);
                }

                // A job whose silo stopped continues here: the grain picks up its saved cursor.
                if (await jobs.RunningAsync() is { } job && job.UpdatedMs < UnixTime.ToMs(clock.GetUtcNow() - options.Value.PendingRetryEvery))
                {
                    await grains.GetGrain<IDedupReindexGrain>(0).Resume();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The dedup retrier failed; it runs again in {Interval}", options.Value.PendingRetryEvery);
            }
        }
    }
}
