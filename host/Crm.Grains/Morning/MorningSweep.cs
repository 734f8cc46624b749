using Crm.Grains.Org;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Morning;

/// <summary>
/// Knocks on every org unit's <see cref="IMorningGrain"/> every <c>SweepEvery</c> (on the injected clock): each unit's
/// grain decides from its own calendar whether its morning has come. Every silo sweeps; the grains make it once.
/// </summary>
public sealed class MorningSweep(OrgTreeCache tree, IGrainFactory grains, IOptions<MorningOptions> options, TimeProvider clock,
    ILogger<MorningSweep> logger) : BackgroundService
{
    private const int UnitsInFlight = 8;

    public async Task<IReadOnlyList<MorningReport>> RunOnceAsync()
    {
        var reports = new List<MorningReport>();
        foreach (var batch in (await tree.UnitIds()).Chunk(UnitsInFlight))
        {
            reports.AddRange(await Task.WhenAll(batch.Select(unit => grains.GetGrain<IMorningGrain>(unit).Run())));
        }

        foreach (var report in reports.Where(r => r.Day is not null))
        {
            logger.LogInformation("Morning tasks of unit {Unit} for {Day}: {Reasons} reasons, {Created} new tasks for {Owners} owners",
                report.OrgUnitId, report.Day, report.Reasons, report.Created, report.Owners);
        }

        return reports;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.SweepEvery, clock, stoppingToken);
                try
                {
                    await RunOnceAsync();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "The morning tasks sweep failed; trying again in {Interval}", options.Value.SweepEvery);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
