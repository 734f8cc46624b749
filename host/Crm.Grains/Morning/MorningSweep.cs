using Crm.Grains.Common;
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
        var reports = await tree.AskAsync(UnitsInFlight, unit => grains.GetGrain<IMorningGrain>(unit).Run());

        foreach (var report in reports.Where(r => r.Day is not null))
        {
            logger.LogInformation("Morning tasks of unit {Unit} for {Day}: {Reasons} reasons, {Created} new tasks for {Owners} owners",
                report.OrgUnitId, report.Day, report.Reasons, report.Created, report.Owners);
        }

        return reports;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Value.Enabled
        ? PeriodicWork.RunAsync(options.Value.SweepEvery, clock, logger, "morning tasks sweep", _ => RunOnceAsync(), stoppingToken)
        : Task.CompletedTask;
}
