using Microsoft.Extensions.Logging;

namespace Crm.Grains.Common;

/// <summary>
/// The loop of the per-silo background sweeps: wait <c>every</c> on the injected clock (so tests move time instead
/// of sleeping), run one round, log a failed round as a warning and try again next time; stop quietly on shutdown.
/// </summary>
public static class PeriodicWork
{
    public static async Task RunAsync(TimeSpan every, TimeProvider clock, ILogger logger, string what, Func<CancellationToken, Task> round,
        CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(every, clock, stoppingToken);
                try
                {
                    await round(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "The {Work} failed; it runs again in {Interval}", what, every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
