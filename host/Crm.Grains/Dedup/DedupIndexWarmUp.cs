using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup;

/// <summary>
/// Loads every shard of the dedup index, a few at a time. A shard loads when it is first called, and at a million
/// customers loading takes seconds of CPU each: a restarted server's creations waited 2 to 12 s each through the first
/// minute for shards no one had asked for yet, and an import that called all 64 at once on a busy machine ran past
/// Orleans' 30 s call timeout while they loaded (answered 503). So the silo loads them once it is active
/// (<see cref="Participate"/>), and an import awaits <see cref="LoadAllAsync"/> before its first batch. Shards stay
/// loaded (<see cref="DedupIndexGrain"/> is never collected), so once done this is 64 quick calls.
/// </summary>
public sealed class DedupIndexWarmUp(IGrainFactory grains, IOptions<DedupOptions> options, ILogger<DedupIndexWarmUp> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Shards loading at once: each load is mostly CPU (parsing its rows), and the server keeps serving beside it.</summary>
    private const int ShardsAtOnce = 2;

    /// <summary>A shard whose load outlasts a call's timeout is asked again this many times (its load goes on meanwhile).</summary>
    private const int CallsPerShard = 10;

    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DedupIndexWarmUp), ServiceLifecycleStage.Active, Start, Stop);

    // Not awaited: the silo serves while its shards load. A stop only keeps further shards from starting to load.
    private Task Start(CancellationToken starting)
    {
        if (options.Value.WarmUpOnStart)
        {
            _ = Task.Run(WarmUpAsync);
        }

        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken stopping) => _stopping.CancelAsync();

    private async Task WarmUpAsync()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await LoadAllAsync(_stopping.Token);
            logger.LogInformation("Dedup index: {Shards} shards loaded {Seconds:0.0} s after the silo started", options.Value.Shards, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The silo stops: the shards not loaded yet load on their first call after the next start.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dedup index: loading the shards ahead of their first call failed; they load on their first call instead");
        }
    }

    /// <summary>Returns once every shard is loaded (at once when they are); throws when one could not be.</summary>
    public Task LoadAllAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, options.Value.Shards),
            new ParallelOptions { MaxDegreeOfParallelism = ShardsAtOnce, CancellationToken = cancellationToken }, async (shard, token) =>
            {
                for (var call = 1; ; call++)
                {
                    try
                    {
                        await grains.GetGrain<IDedupIndexGrain>(shard).Lookup([]);
                        return;
                    }
                    catch (TimeoutException) when (call < CallsPerShard && !token.IsCancellationRequested)
                    {
                        logger.LogInformation("Dedup index: shard {Shard} is still loading after call {Call}; asking again", shard, call);
                    }
                }
            });
}
