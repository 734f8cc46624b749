using Crm.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Crm.Server.Health;

/// <summary>
/// Checks in the background, every <see cref="HealthOptions.ProbeInterval"/>, that the database takes writes, and
/// reports the outcome to <see cref="DatabaseAvailability"/> (which logs the changes). Readiness answers from it, so a
/// health request never queries the database.
/// </summary>
public sealed class DatabaseProbe(CrmDatabase database, DatabaseAvailability availability, IOptions<HealthOptions> options, TimeProvider clock)
    : BackgroundService
{
    /// <summary>When the last probe finished; null before the first.</summary>
    public DateTimeOffset? LastProbe { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProbeAsync(stoppingToken);
                availability.ReportUp();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                availability.ReportDown(ex);
            }

            LastProbe = clock.GetUtcNow();
            try
            {
                await Task.Delay(options.Value.ProbeInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// SQLite: takes the write lock and lets it go (a locked or read-only file fails here, as writes would);
    /// PostgreSQL: a round trip. Either is bounded by the database's timeout.
    /// </summary>
    private async Task ProbeAsync(CancellationToken stoppingToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bounded.CancelAfter(database.Timeout);
        await Task.Run(async () =>
        {
            await using var connection = await database.OpenAsync(bounded.Token);
            if (connection is SqliteConnection sqlite)
            {
                using var transaction = sqlite.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock
                transaction.Rollback();
                return;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(bounded.Token);
        }, bounded.Token);
    }
}
