using System.Net;
using Crm.Grains.Projections;
using Crm.Grains.Storage;
using Crm.Server.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Crm.Server.Storage;

/// <summary>How a CRM silo is put together for a storage profile; used by the server and by grain tests.</summary>
public static class SiloSetup
{
    public const string StorageName = "crm";

    public static ISiloBuilder AddCrmSilo(this ISiloBuilder silo, CrmDatabase database, CrmClusterOptions cluster, bool configureClustering = true)
    {
        if (configureClustering)
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // One silo on one file: the embedded profile does not form clusters.
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }
            else
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = database.OrleansInvariant;
                    o.ConnectionString = database.ConnectionString;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
            }

            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = database.OrleansInvariant;
                o.ConnectionString = database.ConnectionString;
            });
        }

        silo.AddAdoNetGrainStorage(StorageName, o =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
        });

        silo.AddIncomingGrainCallFilter<GrainFaultLogger>();
        silo.Services.AddCrmGrainServices(database);
        return silo;
    }

    /// <summary>What grains need besides Orleans: the database, the group-commit writer, the read model, the clock.</summary>
    public static IServiceCollection AddCrmGrainServices(this IServiceCollection services, CrmDatabase database)
    {
        services.TryAddSingleton(database);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqlBatchWriter>();
        services.TryAddSingleton<ReadModelWriter>();
        return services.AddCrmWireSerialization();
    }

    /// <summary>
    /// Wire records of the API (Crm.Client) and the plugin SDK's records (Crm.Sdk) travel between grains, and
    /// between clients and silos, as JSON: they carry no Orleans attributes. Every silo and client registers this.
    /// </summary>
    public static IServiceCollection AddCrmWireSerialization(this IServiceCollection services) =>
        services.AddSerializer(s => s.AddJsonSerializer(isSupported: type => type.Namespace is "Crm.Client" or "Crm.Sdk"));
}
