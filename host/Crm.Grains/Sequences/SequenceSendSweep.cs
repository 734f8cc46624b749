using Crm.Grains.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Sequences;

/// <summary>
/// Finds the reps with a step to send (one range read on <c>sequence_sends.next_ms</c>) and lets each rep's grain send
/// them. Every silo sweeps; a rep's grain runs one call at a time and moves each step's next time on, so two silos
/// never send one step twice at once. Cost follows the steps falling due, not the number of steps.
/// </summary>
public sealed class SequenceSendSweep(SequenceSendStore store, IGrainFactory grains, IOptions<MessagingOptions> options, TimeProvider clock,
    ILogger<SequenceSendSweep> logger) : BackgroundService
{
    private const int RepsPerRead = 100;
    private const int MaxRounds = 100;

    /// <summary>Runs the sweep now, until nothing due is left; answers how many steps were tried.</summary>
    public async Task<int> RunOnceAsync()
    {
        var tried = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var reps = await store.DueRepsAsync(clock.GetUtcNow(), RepsPerRead);
            if (reps.Count == 0)
            {
                break;
            }

            var batches = await Task.WhenAll(reps.Select(rep => grains.GetGrain<IRepSequenceGrain>(rep).SendDue()));
            tried += batches.Sum(b => b.Tried);
            if (batches.All(b => b.Tried == 0))
            {
                break;
            }
        }

        return tried;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.SweepEvery, clock, logger, "sequence send sweep", _ => RunOnceAsync(), stoppingToken);
}
