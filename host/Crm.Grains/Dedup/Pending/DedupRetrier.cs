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
    public async Task<int> RetryOnceAsync(CancellationToken cancellationToken = default) => await IndexEachAsync(
        (await queue.DueAsync(UnixTime.ToMs(clock.GetUtcNow()), options.Value.PendingBatch, cancellationToken)).Select(d => (d.CustomerId, d.Attempts)),
        "retry", "queued customer",
        (id, _) => queue.DoneAsync(id),
        (id, nextMs, fault, nowMs) => queue.FailedAsync(id, nextMs, fault, nowMs),
        cancellationToken);

    /// <summary>One round over the edited customers whose keys are still the old card's; answers how many were keyed.</summary>
    public async Task<int> RekeyEditedOnceAsync(CancellationToken cancellationToken = default) => await IndexEachAsync(
        (await rekeys.DueAsync(UnixTime.ToMs(clock.GetUtcNow()), options.Value.PendingBatch, cancellationToken)).Select(w => (w.CustomerId, w.Attempts)),
        "edited", "edited customer",
        (id, outcome) => outcome.Status == IndexStatus.Gone ? rekeys.GoneAsync(id) : rekeys.KeyedAsync(id, outcome.Version),
        (id, nextMs, _, _) => rekeys.FailedAsync(id, nextMs),
        cancellationToken);

    /// <summary>
    /// Indexes (keys and compares) each customer in turn: <paramref name="done"/> when indexed or gone; the first failure
    /// pushes that one back (backoff) and ends the round, as the strategy is likely still down. A customer that moved while
    /// it was keyed is left for the next round.
    /// </summary>
    private async Task<int> IndexEachAsync(IEnumerable<(string CustomerId, long Attempts)> due, string trigger, string what,
        Func<string, IndexOutcome, Task> done, Func<string, long, string, long, Task> failed, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var (customerId, attempts) in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IndexOutcome outcome;
            try
            {
                outcome = await indexer.IndexAsync(Guid.Parse(customerId), trigger, compare: true);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = IndexOutcome.Failed($"{e.GetType().Name}: {e.Message}");
            }

            switch (outcome.Status)
            {
                case IndexStatus.Indexed or IndexStatus.Gone:
                    await done(customerId, outcome);
                    count++;
                    break;
                case IndexStatus.Failed:
                    var now = clock.GetUtcNow();
                    await failed(customerId, UnixTime.ToMs(now + Backoff((int)Math.Min(attempts + 1, 64), options.Value)), outcome.Fault!, UnixTime.ToMs(now));
                    logger.LogWarning("Dedup indexing of {What} {Customer} failed (attempt {Attempt}): {Fault}", what, customerId, attempts + 1, outcome.Fault);
                    return count;
            }
        }

        return count;
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
