using Microsoft.Extensions.Options;

namespace Crm.Server.Idempotency;

/// <summary>Deletes keys older than <see cref="IdempotencyOptions.KeyLifetime"/>, every <see cref="IdempotencyOptions.CleanupInterval"/>.</summary>
public sealed class IdempotencyCleanup(IdempotencyStore store, IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<IdempotencyCleanup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CleanupInterval, clock, stoppingToken);
                await CleanOnceAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Expired idempotency keys not deleted this time; the next round tries again");
            }
        }
    }

    public Task<int> CleanOnceAsync() =>
        store.DeleteStartedBeforeAsync((clock.GetUtcNow() - options.Value.KeyLifetime).ToUnixTimeMilliseconds());
}
