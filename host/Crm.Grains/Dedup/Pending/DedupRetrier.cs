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
/// record its keys once (versioned) and flag a pair once. Edited customers whose request did not key their card
/// (<see cref="DedupRekeys"/>: the server died first, or a strategy failed) are keyed the same way once their grace is
/// over. It also wakes a reindex job that a stopped silo was running.
/// </summary>
public sealed class DedupRetrier(DedupPendingQueue queue, DedupRekeys rekeys, DedupIndexer indexer, DedupReindexJobs jobs, IGrainFactory grains, TimeProvider clock,
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

    /// <summary>One round over the edited customers whose keys are still the old card's; answers how many were keyed.</summary>
    public async Task<int> RekeyEditedOnceAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var done = 0;
        foreach (var waiting in await rekeys.DueAsync(UnixTime.ToMs(clock.GetUtcNow()), o.PendingBatch, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            IndexOutcome outcome;
            try
            {
                outcome = await indexer.IndexAsync(Guid.Parse(waiting.CustomerId), "edited", compare: true);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = IndexOutcome.Failed($"{e.GetType().Name}: {e.Message}");
            }

            switch (outcome.Status)
            {
                case IndexStatus.Indexed:
                    await rekeys.KeyedAsync(waiting.CustomerId, outcome.Version);
                    done++;
                    break;
                case IndexStatus.Gone:
                    await rekeys.GoneAsync(waiting.CustomerId);
                    done++;
                    break;
                case IndexStatus.Failed:
                    var now = clock.GetUtcNow();
                    await rekeys.FailedAsync(waiting.CustomerId, UnixTime.ToMs(now + Backoff((int)Math.Min(waiting.Attempts + 1, 64), o)));
                    logger.LogWarning("Dedup re-keying of edited customer {Customer} failed (attempt {Attempt}): {Fault}",
                        waiting.CustomerId, waiting.Attempts + 1, outcome.Fault);
                    return done;
                // Moved: edited again meanwhile; the next round keys the newer card.
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

                if (await RekeyEditedOnceAsync(stoppingToken) is > 0 and var rekeyed)
                {
                    logger.LogInformation("Keyed {Count} edited customers whose edit did not", rekeyed);
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
