using Crm.Grains.Plugins;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Crm.Tests.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Crm.Tests.Infrastructure;

/// <summary>
/// An Orleans test cluster running the CRM grains over a real SQLite file, with a fake clock the tests
/// move by days. Grain state and the read model go to the same database as in the server.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("crm-cluster");

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public CrmDatabase Database { get; private set; } = null!;

    /// <summary>A service of the silo (the same instance its grains use).</summary>
    public T Service<T>() where T : notnull => SiloServices.GetRequiredService<T>();

    /// <summary>A keyed service of the silo, such as the grain storage's serializer.</summary>
    public T Service<T>(object key) where T : notnull => SiloServices.GetRequiredKeyedService<T>(key);

    private IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost!.Services;

    /// <summary>The clock every grain reads; tests start at a fixed Monday morning (<see cref="TestsStartAt"/>).</summary>
    public FakeTimeProvider Clock => SiloServices.GetRequiredService<FakeTimeProvider>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ClusterId = "crm-test-" + Guid.NewGuid().ToString("N")[..6];
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CrmTest:ConnectionString"] = $"Data Source={Path.Combine(_data.Path, "crm.db")}",
        }));
        builder.AddSiloBuilderConfigurator<CrmSiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Database = SiloServices.GetRequiredService<CrmDatabase>();
        await ReminderServiceStart.WaitAsync(SiloServices, Clock, TestsStartAt);
    }

    /// <summary>A fixed Monday morning: the time every test of the collection starts from.</summary>
    private static readonly DateTimeOffset TestsStartAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        _data.Dispose();
    }

    private static readonly Lazy<InProcessPlugins> Plugins = new(() =>
    {
        var directory = new PluginDirectory().WithStandard().WithTestPlugin("Crm.TestPlugins.Faulty").WithTestPlugin("Crm.TestPlugins.Good");
        var plugins = new InProcessPlugins(directory, budgetMs: 300);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            plugins.Dispose();
            directory.Dispose();
        };
        return plugins;
    });

    private sealed class CrmSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var database = new CrmDatabase(DatabaseProvider.Sqlite, silo.Configuration["CrmTest:ConnectionString"]!);
            SchemaInstaller.Apply(database, null);
            var clock = new FakeTimeProvider(TestsStartAt - ReminderServiceStart.Lead);
            silo.Services.AddSingleton(clock);
            silo.Services.AddSingleton<TimeProvider>(clock);
            // Grains, their timers and reminders follow the fake clock; Orleans' own machinery keeps real time. On the fake
            // clock a move of a day expired every message in flight (a one-way push dropped, its caller's request timing out
            // 30 s later) and aged every activation at once.
            foreach (var area in new[]
                     {
                         TimeProviderNames.Membership, TimeProviderNames.Messaging, TimeProviderNames.SystemTimers,
                         TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory,
                     })
            {
                silo.Services.AddKeyedSingleton(area, TimeProvider.System);
            }

            silo.AddCrmSilo(database, new CrmClusterOptions(), configureClustering: false);
            // Strategies come from real plugin folders, as in the server: the standard plugin and two test plugins.
            silo.Services.AddSingleton<IStrategyCatalog>(Plugins.Value.Host);
            silo.Services.AddSingleton(Plugins.Value.Runner);
            silo.AddCrmReminders(database); // durable, in the same file, as the server keeps them
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "grains on a test cluster (SQLite)";
}
