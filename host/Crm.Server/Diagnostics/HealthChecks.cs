using Crm.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Crm.Server.Diagnostics;

/// <summary>The database answers a query.</summary>
public sealed class DatabaseHealthCheck(CrmDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Provider} answers");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} does not answer", ex);
        }
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
