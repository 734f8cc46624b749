using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Crm.Server.Health;

/// <summary>
/// A graceful stop (SIGTERM) drains before the silo leaves: first <c>/health/ready</c> answers 503 while the server
/// still takes requests for <c>Crm:Health:DrainDelay</c>, so a load balancer sends new ones elsewhere; then the web
/// server closes its port and lets the requests it has finish; only then does the Orleans silo stop (the web host
/// stops first: ASP.NET Core registers it after every other hosted service). docs/reliability.md, "Silos that stop".
/// </summary>
public sealed class ShutdownDrain(IOptions<HealthOptions> options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var delay = options.Value.DrainDelay;
        logger.LogInformation("Stopping: readiness answers 503; requests are still taken for {Delay} s, then the port closes, the requests in flight finish, and the silo leaves last",
            delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout is shorter than the drain: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Not ready while the server drains for a graceful stop (<see cref="ShutdownDrain"/>).</summary>
public sealed class ShutdownReadyCheck(ShutdownDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining
            ? HealthCheckResult.Unhealthy("the server is stopping: it finishes its requests and takes no new ones")
            : HealthCheckResult.Healthy("running"));
}
