using Crm.Grains.Storage;
using Crm.Server.Storage;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Crm.Tests.Storage;

/// <summary>
/// A real one-silo host on a test database with the chosen grain-storage provider, set up like the server
/// (<see cref="SiloSetup.AddCrmSilo"/>); stopping and starting another on the same database is a restart.
/// </summary>
public sealed class StorageSilo : IAsyncDisposable
{
    public const string ServiceId = "crm-storage-tests";

    private readonly IHost _host;

    private StorageSilo(IHost host) => _host = host;

    /// <summary>The "crm" grain storage, exactly as grains see it.</summary>
    public IGrainStorage Storage => _host.Services.GetRequiredKeyedService<IGrainStorage>(SiloSetup.StorageName);

    public IServiceProvider Services => _host.Services;

    public static async Task<StorageSilo> StartAsync(CrmDatabase database, GrainStorageKind kind)
    {
        var cluster = new CrmClusterOptions { SiloPort = FreePort.Next(), GatewayPort = FreePort.Next(), ServiceId = ServiceId, ClusterId = ServiceId };
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo =>
            {
                // One silo per test on free ports, whichever the database: tests run beside other test runs.
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                silo.AddCrmSilo(database, cluster, configureClustering: false, grainStorage: kind);
            })
            .Build();
        await host.StartAsync();
        return new StorageSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
