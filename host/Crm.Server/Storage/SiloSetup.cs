using System.Net;
using Crm.Grains.Dedup;
using Crm.Grains.EventLog;
using Crm.Grains.Outbox;
using Crm.Grains.Storage;
using Crm.Server.Diagnostics;
using Crm.Server.Storage.GroupCommit;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Crm.Server.Storage;

/// <summary>How a CRM silo is put together for a storage profile; used by the server and by grain tests.</summary>
public static class SiloSetup
{
    public const string StorageName = "crm";

    public static ISiloBuilder AddCrmSilo(this ISiloBuilder silo, CrmDatabase database, CrmClusterOptions cluster, bool configureClustering = true,
        GrainStorageKind grainStorage = GrainStorageKind.GroupCommit)
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
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = cluster.Advertised;
                    o.SiloPort = cluster.SiloPort;
                    o.GatewayPort = cluster.GatewayPort;
                    o.SiloListeningEndpoint = new IPEndPoint(cluster.Listen, cluster.SiloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(cluster.Listen, cluster.GatewayPort);
                });
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
            }

            if (cluster.Tls.Enabled)
            {
                silo.UseClusterTls(cluster.Tls);
            }

            silo.AddCrmReminders(database);
            silo.Configure<ReminderOptions>(o =>
            {
                o.RefreshReminderListPeriod = TimeSpan.FromMinutes(cluster.ReminderRefreshMinutes);
                // A reminder is kept in memory from this long before its tick: two reads, so one failed or late read misses none.
                o.ReminderLoadingWindow = TimeSpan.FromTicks(Math.Max(o.ReminderLoadingWindow.Ticks, 2 * o.RefreshReminderListPeriod.Ticks));
            });
        }

        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = cluster.DirectoryCacheSize);
        silo.AddCrmGrainStorage(database, grainStorage);

        silo.AddIncomingGrainCallFilter<GrainFaultLogger>();
        silo.AddIncomingGrainCallFilter<FailedWriteEviction>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LegacyCustomerMigration>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LegacyStateMigration>();
        silo.Services.AddCrmGrainServices(database);
        return silo;
    }

    /// <summary>
    /// Durable reminders in the database's <c>OrleansRemindersTable</c>. On SQLite they are written by the group-commit
    /// writer (<see cref="GroupCommitReminderTable"/>): the file has one write lock, and a reminder written on a connection
    /// of its own stalled every other write behind SQLite's busy back-off. PostgreSQL takes Orleans' ADO.NET provider.
    /// </summary>
    public static ISiloBuilder AddCrmReminders(this ISiloBuilder silo, CrmDatabase database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable, GroupCommitReminderTable>();
        }
        else
        {
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = database.OrleansInvariant;
                o.ConnectionString = database.ConnectionString;
            });
        }

        return silo;
    }

    /// <summary>
    /// The "crm" grain storage. Both providers use the OrleansStorage table and the Orleans serializer, so
    /// either reads what the other wrote; the ADO.NET provider's connections get our durability settings.
    /// </summary>
    public static ISiloBuilder AddCrmGrainStorage(this ISiloBuilder silo, CrmDatabase database, GrainStorageKind kind)
    {
        silo.Services.AddKeyedSingleton<IGrainStorageSerializer>(StorageName,
            (services, _) => new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
        if (kind == GrainStorageKind.AdoNet)
        {
            silo.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = database.OrleansInvariant;
                o.DataSource = database.DataSource;
            });
        }
        else
        {
            silo.Services.AddGrainStorage(StorageName, (services, name) => new GroupCommitGrainStorage(
                name,
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                services.GetRequiredService<CrmDatabase>(),
                services.GetRequiredService<SqlBatchWriter>(),
                services.GetRequiredKeyedService<IGrainStorageSerializer>(name),
                services.GetRequiredService<IActivatorProvider>()));
        }

        return silo;
    }

    /// <summary>What grains need besides Orleans: the database, the group-commit writer, the read model, the clock.</summary>
    public static IServiceCollection AddCrmGrainServices(this IServiceCollection services, CrmDatabase database)
    {
        services.TryAddSingleton(database);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DatabaseAvailability>();
        services.TryAddSingleton<SqlBatchWriter>();
        services.TryAddSingleton<Crm.Grains.Pools.PoolProjection>();
        services.AddOptions<DedupOptions>();
        services.TryAddSingleton<DedupIndexStore>();
        services.TryAddSingleton<IDedupStrategySource, DirectDedupStrategySource>();
        services.TryAddSingleton<DedupGate>();
        // Imports: the gate and the creation of a batch of leads at once (docs/dedup.md, "Imports").
        services.TryAddSingleton<BatchGate>();
        services.TryAddSingleton<Crm.Grains.Customers.Batch.CustomerBatchCreator>();
        services.TryAddSingleton<Crm.Grains.Customers.Batch.StoredCustomers>();
        services.TryAddSingleton<Crm.Grains.Customers.Batch.CustomerBatchDelivery>();
        // Never fail open: customers created while a strategy failed are queued with their commit and indexed later.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Dedup.Pending.DedupPendingProjection>());
        services.TryAddSingleton<Crm.Grains.Dedup.Pending.DedupPendingQueue>();
        services.TryAddSingleton<Crm.Grains.Dedup.Pending.DedupRekeys>();
        services.TryAddSingleton<Crm.Grains.Dedup.Pending.DedupIndexer>();
        services.TryAddSingleton<Crm.Grains.Dedup.Reindex.DedupReindexJobs>();
        services.TryAddSingleton<Crm.Grains.Dedup.Pending.DedupRetrier>();
        services.TryAddSingleton<Crm.Grains.Dedup.DedupIndexWarmUp>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Crm.Grains.Dedup.DedupIndexWarmUp>());
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Dedup.Pending.DedupRetrier>());
        services.TryAddSingleton<Crm.Grains.Notes.NoteProjection>();
        // The org tree in every silo's memory, for permission checks that never leave the silo.
        services.TryAddSingleton<Crm.Grains.Org.OrgTreeCache>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Org.OrgTreeCache>());
        services.TryAddSingleton<Crm.Grains.Pools.PoolDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Pools.PoolDirectory>());
        services.TryAddSingleton<Crm.Grains.Pools.RuleChangeFanOut>();
        services.TryAddSingleton<Crm.Grains.Org.CustomerAccess>();
        // The customers' event log and the outbox of their side effects (docs/architecture.md).
        services.TryAddSingleton<EventLogFaults>();
        services.TryAddSingleton<CustomerCommitWrites>();
        services.TryAddSingleton<CustomerEventLog>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<OutboxDelivery>();
        services.TryAddSingleton<OutboxDispatcher>();
        // Deals: the catalogue every silo caches, and their read-model rows written in the customer's commit.
        services.TryAddSingleton<Crm.Grains.Deals.DealCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Deals.DealProjection>());
        services.TryAddSingleton<Crm.Grains.CustomFields.CustomFieldCatalog>();
        services.TryAddSingleton<Crm.Grains.Levels.LevelCatalog>();
        services.TryAddSingleton<Crm.Grains.Money.RateCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.CustomFields.CustomFieldProjection>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        // Contracts and payments: their rows in the customer's commit, and the per-silo overdue sweep (docs/contracts-and-payments.md).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Contracts.ContractProjection>());
        services.AddOptions<Crm.Grains.Contracts.OverdueOptions>().BindConfiguration(Crm.Grains.Contracts.OverdueOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Crm.Grains.Contracts.OverdueSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Contracts.OverdueSweep>());
        // Work calendars of org units (docs/tasks-and-notifications.md).
        services.TryAddSingleton<Crm.Grains.Calendars.CalendarDirectory>();
        // Per-rep, per-day metrics (targets, leaderboards) kept in the customer's commit (docs/reports.md).
        services.TryAddSingleton<Crm.Grains.Metrics.RepCalendars>();
        services.TryAddSingleton<Crm.Grains.Metrics.MetricStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Metrics.MetricProjection>());
        // Purchases per customer (RFM, repurchase and churn), kept in the customer's commit (docs/reports.md).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Rfm.PurchaseProjection>());
        services.TryAddSingleton<Crm.Grains.Rfm.PurchaseStore>();
        services.TryAddSingleton<Crm.Grains.Rfm.RepurchaseMorning>();
        // Each rep's calibration (won vs stated probability of its closed deals) for the forecast, in the customer's commit.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Forecast.CalibrationProjection>());
        // Per-rep, per-day deal steps and activity (funnel and activity reports) kept in the customer's commit (docs/reports.md).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Activity.ActivityProjection>());
        // The message center: every stored push, per user (docs/tasks-and-notifications.md).
        services.AddOptions<Crm.Grains.Notifications.NotificationOptions>().BindConfiguration(Crm.Grains.Notifications.NotificationOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Crm.Grains.Notifications.NotificationStore>();
        services.TryAddSingleton<Crm.Grains.Notifications.NotificationCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Notifications.NotificationCleanup>());
        // Tasks: their rows, and the sweep that pushes due and overdue alerts (docs/tasks-and-notifications.md).
        services.AddOptions<Crm.Grains.Tasks.TaskOptions>().BindConfiguration(Crm.Grains.Tasks.TaskOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Crm.Grains.Tasks.TaskStore>();
        services.TryAddSingleton<Crm.Grains.Tasks.TaskAlertSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Tasks.TaskAlertSweep>());
        // Nurturing sequences: definitions, the reps' dated steps, and the stops that ride in the customer's commit.
        services.AddOptions<Crm.Grains.Sequences.SequenceOptions>().BindConfiguration(Crm.Grains.Sequences.SequenceOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Crm.Grains.Sequences.SequenceStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.Sequences.SequenceProjection>());
        // Morning tasks: each working morning of a unit, a task per reason for the owners (docs/tasks-and-notifications.md).
        services.AddOptions<Crm.Grains.Morning.MorningOptions>().BindConfiguration(Crm.Grains.Morning.MorningOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Crm.Grains.Morning.MorningSources>();
        services.TryAddSingleton<Crm.Grains.Morning.MorningTaskGenerator>();
        services.TryAddSingleton<Crm.Grains.Morning.MorningSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Morning.MorningSweep>());
        // Daily reports per rep: their projections, and each unit's generation at its local report time (docs/daily-reports.md).
        services.AddOptions<Crm.Grains.DailyReports.DailyReportOptions>().BindConfiguration(Crm.Grains.DailyReports.DailyReportOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerProjection, Crm.Grains.DailyReports.DailyActivityProjection>());
        services.TryAddSingleton<Crm.Grains.DailyReports.DailyReportSources>();
        services.TryAddSingleton<Crm.Grains.DailyReports.DailyReportStore>();
        services.TryAddSingleton<Crm.Grains.DailyReports.DailyReportSettings>();
        services.TryAddSingleton<Crm.Grains.DailyReports.DailyReportGenerator>();
        services.TryAddSingleton<Crm.Grains.DailyReports.DailyReportSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.DailyReports.DailyReportSweep>());
        // Sending steps through plugins' message channels, and the sweep that finds what falls due.
        services.AddOptions<Crm.Grains.Sequences.MessagingOptions>().BindConfiguration(Crm.Grains.Sequences.MessagingOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Crm.Grains.Sequences.SequenceTemplates>();
        services.TryAddSingleton<Crm.Grains.Sequences.SequenceSendStore>();
        services.TryAddSingleton<Crm.Grains.Sequences.StepSender>();
        services.TryAddSingleton<Crm.Grains.Sequences.SequenceSendSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Crm.Grains.Sequences.SequenceSendSweep>());
        return services;
    }
}
