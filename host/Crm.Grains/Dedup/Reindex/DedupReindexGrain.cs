using Crm.Grains.Common;
using Crm.Grains.Dedup.Pending;
using Crm.Grains.EventLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup.Reindex;

/// <summary>
/// Rebuilds the dedup index from the customers, in place: every customer's keys are computed again with the strategies
/// of now (so old customers get the keys a newer strategy introduces), recorded when they changed (with their old keys
/// dropped from the index), and put into the index again with their card. A customer whose keys changed is compared
/// with the index, and its duplicates flagged. A customer a strategy fails on is queued in <c>dedup_pending</c>.
/// The index stays in service throughout: nothing is cleared first, so creations keep being checked.
/// One step of <see cref="DedupOptions.ReindexBatch"/> customers per timer tick; the cursor is saved after each step,
/// so a job survives a restart (the silos' retriers wake this grain when a running job stops moving).
/// </summary>
public sealed class DedupReindexGrain(DedupReindexJobs jobs, DedupIndexer indexer, DedupPendingQueue queue, CustomerEventLog customers,
    TimeProvider clock, IOptions<DedupOptions> options, ILogger<DedupReindexGrain> logger) : Grain, IDedupReindexGrain
{
    /// <summary>Customers indexed at once within a step.</summary>
    private const int InParallel = 16;

    private IGrainTimer? _timer;
    private ReindexJob? _job;

    public async Task<ReindexStart> Start()
    {
        if ((_job ?? await jobs.RunningAsync()) is { } running)
        {
            return new ReindexStart(running, AlreadyRunning: true);
        }

        var now = UnixTime.ToMs(clock.GetUtcNow());
        _job = new ReindexJob
        {
            Id = Guid.NewGuid().ToString("N"), Status = ReindexJob.Running, StartedMs = now, UpdatedMs = now,
            Total = await jobs.CountCustomersAsync(),
        };
        await jobs.SaveAsync(_job);
        Schedule();
        return new ReindexStart(_job, AlreadyRunning: false);
    }

    public async Task Resume()
    {
        if (_timer is not null || await jobs.RunningAsync() is not { } running)
        {
            return;
        }

        logger.LogInformation("Resuming dedup reindex {Job} after customer {Cursor} ({Processed} of {Total} done)",
            running.Id, running.Cursor, running.Processed, running.Total);
        _job = running;
        Schedule();
    }

    private void Schedule() =>
        _timer = this.RegisterGrainTimer(StepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(10)) { KeepAlive = true });

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        var job = _job!;
        try
        {
            var ids = await customers.IdsAfterAsync(job.Cursor, options.Value.ReindexBatch);
            var now = clock.GetUtcNow();
            if (ids.Count == 0)
            {
                await jobs.SaveAsync(job with { Status = ReindexJob.Finished, UpdatedMs = UnixTime.ToMs(now), FinishedMs = UnixTime.ToMs(now) });
                logger.LogInformation("Dedup reindex {Job} finished: {Processed} customers, {Changed} with new keys", job.Id, job.Processed, job.Changed);
                Stop();
                return;
            }

            var outcomes = new List<IndexOutcome>(ids.Count);
            foreach (var chunk in ids.Chunk(InParallel))
            {
                outcomes.AddRange(await Task.WhenAll(chunk.Select(IndexOneAsync)));
            }

            _job = job with
            {
                UpdatedMs = UnixTime.ToMs(clock.GetUtcNow()),
                Processed = job.Processed + ids.Count,
                Changed = job.Changed + outcomes.Count(o => o.Changed),
                Queued = job.Queued + outcomes.Count(o => o.Status is IndexStatus.Failed),
                Flagged = job.Flagged + outcomes.Sum(o => o.Flagged),
                Cursor = ids[^1].ToString(),
            };
            await jobs.SaveAsync(_job);
        }
        catch (Exception e)
        {
            // The saved cursor stays where it was; a retrier resumes the job once it has stood still for a while.
            logger.LogWarning(e, "Dedup reindex {Job} stopped after customer {Cursor}; it resumes later", job.Id, job.Cursor);
            Stop();
        }
    }

    private async Task<IndexOutcome> IndexOneAsync(Guid id)
    {
        var outcome = await indexer.IndexAsync(id, "reindex", compare: false);
        if (outcome.Status is IndexStatus.Moved)
        {
            outcome = await indexer.IndexAsync(id, "reindex", compare: false);
        }

        if (outcome.Status is IndexStatus.Failed or IndexStatus.Moved)
        {
            await queue.EnqueueAsync(id.ToString(), outcome.Fault ?? "changed while being indexed", UnixTime.ToMs(clock.GetUtcNow()));
            return outcome with { Status = IndexStatus.Failed };
        }

        return outcome;
    }

    private void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        _job = null;
    }
}
