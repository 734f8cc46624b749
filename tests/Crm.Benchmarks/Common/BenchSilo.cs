using System.Net;
using System.Net.Sockets;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks.Common;

/// <summary>
/// A CRM silo in this process, set up exactly as the server sets it up (schema, storage, grains), on a
/// database of the benchmark's choosing. No HTTP: benchmarks call grains directly.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host, CrmDatabase database)
    {
        _host = host;
        Database = database;
    }

    public CrmDatabase Database { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public static async Task<BenchSilo> StartAsync(CrmDatabase database, GrainStorageKind grainStorage = GrainStorageKind.GroupCommit,
        Action<IServiceCollection>? services = null, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? afterSilo = null,
        Action<CrmClusterOptions>? clusterOptions = null)
    {
        SchemaInstaller.Apply(database, null);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        services?.Invoke(builder.Services);
        var cluster = new CrmClusterOptions { SiloPort = FreePort(), GatewayPort = FreePort(), ClusterId = "bench", ServiceId = "bench" };
        clusterOptions?.Invoke(cluster);
        builder.UseOrleans(silo => silo.AddCrmSilo(database, cluster, grainStorage: grainStorage));
        afterSilo?.Invoke(builder.Services); // e.g. to take out registrations the silo made
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, database);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
