using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Dedup;

/// <summary>
/// Loads every shard of the dedup index once the silo is active, a few at a time, in the background. A shard loads when
/// it is first called, so on a restarted server each creation waited for its shards to read their part of the index:
/// at a million customers 2 to 12 s per creation through the first minute (measured). Shards already active on another
/// silo answer at once. A failure is logged and changes nothing: the shards then load on their first call, as without.
/// </summary>
public sealed class DedupIndexWarmUp(IGrainFactory grains, IOptions<DedupOptions> options, ILogger<DedupIndexWarmUp> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Shards loading at once: each load is mostly CPU (parsing its rows), and the server keeps serving beside it.</summary>
    private const int ShardsAtOnce = 2;

    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DedupIndexWarmUp), ServiceLifecycleStage.Active, Start, Stop);

    // Not awaited: the silo serves while its shards load. A stop only keeps further shards from starting to load.
    private Task Start(CancellationToken starting)
    {
        _ = Task.Run(() => WarmUpAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken stopping) => _stopping.CancelAsync();

    /// <summary>Activates every shard; never throws.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var shards = options.Value.Shards;
        var clock = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, shards), new ParallelOptions { MaxDegreeOfParallelism = ShardsAtOnce, CancellationToken = cancellationToken },
                async (shard, _) => await grains.GetGrain<IDedupIndexGrain>(shard).Lookup([]));
            logger.LogInformation("Dedup index: {Shards} shards loaded {Seconds:0.0} s after the silo started", shards, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo stops: the shards not loaded yet load on their first call after the next start.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dedup index: loading the shards ahead of their first call failed; they load on their first call instead");
        }
    }
}
