using Crm.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Crm.Server.Health;

/// <summary>The database takes writes, as the background probe (or a failed write since) last saw it; no query per call.</summary>
public sealed class DatabaseReadyCheck(DatabaseAvailability availability, DatabaseProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var checkedAt = new Dictionary<string, object> { ["lastProbe"] = probe.LastProbe?.ToString("O") ?? "none yet" };
        return Task.FromResult(availability.Outage is { } outage
            ? HealthCheckResult.Unhealthy($"the database is unavailable since {outage.Since:O}: {outage.Reason}", data: checkedAt)
            : HealthCheckResult.Healthy("the database takes writes", checkedAt));
    }
}

/// <summary>The silo is up and sees at least one active silo in its cluster (itself).</summary>
public sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return silos.Count > 0 ? HealthCheckResult.Healthy($"{silos.Count} active silo(s)") : HealthCheckResult.Unhealthy("no active silo");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the silo does not answer", ex);
        }
    }
}
