using Crm.Grains.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Grains.Tasks;

/// <summary>
/// Finds the tasks with an item whose due or overdue time has come and lets their grains push. One indexed range read
/// per sweep (<c>next_alert_ms</c>), so the cost follows the alerts due, not the number of tasks. Every silo sweeps;
/// a task's grain runs one call at a time and marks what it pushed, and each push carries a key its inboxes keep
/// once, so two silos reaching the same task push nothing twice.
/// </summary>
public sealed class TaskAlertSweep(TaskStore store, IGrainFactory grains, IOptions<TaskOptions> options, TimeProvider clock, ILogger<TaskAlertSweep> logger)
    : BackgroundService
{
    private const int TasksPerRead = 200;

    /// <summary>Runs the sweep now, until nothing due is left; answers how many pushes were made.</summary>
    public async Task<int> RunOnceAsync()
    {
        var pushes = 0;
        var seen = new HashSet<string>();
        while (true)
        {
            var due = (await store.AlertsDueAsync(clock.GetUtcNow(), TasksPerRead)).Where(seen.Add).ToList();
            if (due.Count == 0)
            {
                return pushes;
            }

            foreach (var counts in await Task.WhenAll(due.Select(id => grains.GetGrain<ITaskGrain>(id).Alert())))
            {
                pushes += counts;
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.SweepEvery, clock, logger, "task alert sweep", _ => RunOnceAsync(), stoppingToken);
}
