using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Dedup;
using Crm.Grains.Dedup.Pending;
using Crm.Grains.Dedup.Reindex;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.Dedup;

/// <summary>The dedup index's health and its rebuild (admin only, routes under <c>/api/admin/dedup</c>; docs/dedup.md).</summary>
public static class DedupAdminApi
{
    public static IEndpointRouteBuilder MapDedupAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/dedup").WithTags("Dedup").RequireAuthorization(Policies.Admin);
        api.MapGet("/status", Status);
        api.MapPost("/reindex", Reindex);
        api.MapGet("/reindex/{jobId}", Job);
        return app;
    }

    /// <summary>Queued customers (count, oldest, newest fault), the index's size and the latest reindex job.</summary>
    private static async Task<Ok<DedupStatusDto>> Status(DedupPendingQueue queue, DedupRekeys rekeys, DedupReindexJobs jobs, IGrainFactory grains,
        IOptions<DedupOptions> options, TimeProvider clock)
    {
        var pending = await queue.SummaryAsync();
        // Counted by the shards, which hold what the log replays to (the stored rows are changes, not one per entry).
        var shards = await Task.WhenAll(Enumerable.Range(0, options.Value.Shards).Select(shard => grains.GetGrain<IDedupIndexGrain>(shard).Stats()));
        var size = new DedupIndexSizeDto(shards.Sum(s => (long)s.Cards), shards.Sum(s => (long)s.Entries));

        var oldest = pending.OldestQueuedMs is { } ms ? UnixTime.FromMs(ms) : (DateTimeOffset?)null;
        var age = oldest is { } at ? Math.Max(0, Math.Round((clock.GetUtcNow() - at).TotalSeconds, 1)) : (double?)null;
        var fault = pending.LastError is { } message && pending.LastErrorMs is { } faultMs ? new DedupFaultDto(UnixTime.FromMs(faultMs), message) : null;
        return TypedResults.Ok(new DedupStatusDto(pending.Count, oldest, age, fault, size, await jobs.LatestAsync() is { } job ? Wire(job) : null,
            await rekeys.CountAsync()));
    }

    /// <summary>Starts rebuilding the whole index from the customers: 202 with the job's Location, 409 while one runs.</summary>
    private static async Task<Results<Accepted<DedupReindexJobDto>, ProblemHttpResult>> Reindex(IGrainFactory grains)
    {
        var start = await grains.GetGrain<IDedupReindexGrain>(0).Start();
        if (start.AlreadyRunning)
        {
            return ApiResults.Problem(CrmError.Conflict(ErrorCodes.ReindexRunning,
                $"Reindex job '{start.Job.Id}' is running ({start.Job.Processed} of {start.Job.Total} customers done).",
                new() { ["jobId"] = start.Job.Id }));
        }

        return TypedResults.Accepted($"/api/admin/dedup/reindex/{start.Job.Id}", Wire(start.Job));
    }

    private static async Task<Results<Ok<DedupReindexJobDto>, ProblemHttpResult>> Job(string jobId, DedupReindexJobs jobs) =>
        jobId.Length <= 64 && await jobs.GetAsync(jobId) is { } job ? TypedResults.Ok(Wire(job)) : ApiResults.NotFound("Reindex job", jobId[..Math.Min(64, jobId.Length)]);

    private static DedupReindexJobDto Wire(ReindexJob job) => new(job.Id, job.Status, UnixTime.FromMs(job.StartedMs), UnixTime.FromMs(job.UpdatedMs),
        job.FinishedMs is { } finished ? UnixTime.FromMs(finished) : null, job.Total, job.Processed, job.Changed, job.Queued, job.Flagged);
}
