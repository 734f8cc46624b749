using Crm.Grains.Storage;
using Crm.Server.Storage;
using Crm.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Crm.Tests.Pools;

/// <summary>
/// A one-silo test cluster whose grain state and reminders both live in a SQLite file (ADO.NET providers, as in
/// the server), so it can be stopped and started again over the same database: a host restart. The fake clock
/// starts where the test says, so the second run continues the first one's time.
/// </summary>
public sealed class DurableCluster : IAsyncDisposable
{
    private const string ServiceId = "crm-durable-test";

    private DurableCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock => Services.GetRequiredService<FakeTimeProvider>();

    public CrmDatabase Database => Services.GetRequiredService<CrmDatabase>();

    /// <summary>The silo's Orleans serializer, the one grain storage writes state blobs with.</summary>
    public Orleans.Serialization.Serializer Serializer => Services.GetRequiredService<Orleans.Serialization.Serializer>();

    public IServiceProvider SiloServices => Services;

    private IServiceProvider Services => ((InProcessSiloHandle)Cluster.Primary!).SiloHost!.Services;

    public static async Task<DurableCluster> StartAsync(string databaseFile, DateTimeOffset now)
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = "crm-durable-" + Guid.NewGuid().ToString("N")[..6];
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CrmTest:ConnectionString"] = $"Data Source={databaseFile}",
            ["CrmTest:Now"] = now.ToString("O"),
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var started = new DurableCluster(cluster);
        await ReminderServiceStart.WaitAsync(started.Services, started.Clock, now);
        return started;
    }

    /// <summary>Stops the silo the way a host shuts down; nothing in memory survives.</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var database = new CrmDatabase(DatabaseProvider.Sqlite, silo.Configuration["CrmTest:ConnectionString"]!);
            SchemaInstaller.Apply(database, null);
            var clock = new FakeTimeProvider(DateTimeOffset.Parse(silo.Configuration["CrmTest:Now"]!) - ReminderServiceStart.Lead);
            silo.Services.AddSingleton(clock);
            silo.Services.AddSingleton<TimeProvider>(clock);
            silo.AddCrmSilo(database, new CrmClusterOptions(), configureClustering: false);
            silo.AddCrmReminders(database);
        }
    }
}
