using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Services;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// Orleans starts its reminder service after the silo is up and retries a failed first read of the reminder table on
/// the reminder clock, which in a test silo is the fake clock that only tests move. On a loaded CI machine that first
/// read once failed, and every test that registered a reminder then waited 20 s and failed. A test silo therefore
/// starts its clock <see cref="Lead"/> before the time its tests start from and calls <see cref="WaitAsync"/>: it
/// moves the clock through that lead (never past the start) until the service has started, then sets the start.
/// </summary>
public static class ReminderServiceStart
{
    /// <summary>How much earlier than the tests' start a test silo's clock begins.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Nudge = TimeSpan.FromSeconds(5);

    public static async Task WaitAsync(IServiceProvider silo, FakeTimeProvider clock, DateTimeOffset testsStartAt)
    {
        var service = silo.GetServices<IGrainService>().OfType<GrainService>().Single(s => s.GetType().Name == "LocalReminderService");
        var status = typeof(GrainService).GetProperty("Status", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("GrainService.Status not found: the Orleans version changed; see ReminderServiceStart.");
        var waited = Stopwatch.StartNew();
        while (status.GetValue(service)?.ToString() != "Started")
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"The test silo's reminder service did not start within {waited.Elapsed} (status {status.GetValue(service)}).");
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(1) && clock.GetUtcNow() + Nudge <= testsStartAt)
            {
                clock.Advance(Nudge);
            }

            await Task.Delay(100);
        }

        clock.SetUtcNow(testsStartAt);
    }
}
