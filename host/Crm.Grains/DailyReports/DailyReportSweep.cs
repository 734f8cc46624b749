using Crm.Grains.Common;
using Crm.Grains.Org;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.DailyReports;

/// <summary>
/// Knocks on every org unit's <see cref="IDailyReportGrain"/> every <c>SweepEvery</c> (on the injected clock): each
/// unit's grain decides from its own calendar and report time whether to generate. Every silo sweeps; one report lands.
/// </summary>
public sealed class DailyReportSweep(OrgTreeCache tree, IGrainFactory grains, IOptions<DailyReportOptions> options, TimeProvider clock,
    ILogger<DailyReportSweep> logger) : BackgroundService
{
    private const int UnitsInFlight = 4;

    public async Task<IReadOnlyList<DailyReportRun>> RunOnceAsync()
    {
        var runs = await tree.AskAsync(UnitsInFlight, unit => grains.GetGrain<IDailyReportGrain>(unit).Run());

        foreach (var run in runs.Where(r => r.Day is not null))
        {
            logger.LogInformation("Daily reports of unit {Unit} for {Day}: {Stored} stored for {Reps} reps", run.OrgUnitId, run.Day, run.Stored, run.Reps);
        }

        return runs;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => options.Value.Enabled
        ? PeriodicWork.RunAsync(options.Value.SweepEvery, clock, logger, "daily report sweep", _ => RunOnceAsync(), stoppingToken)
        : Task.CompletedTask;
}
