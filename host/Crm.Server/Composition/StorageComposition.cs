using Crm.Grains.Dedup;
using Crm.Grains.Storage;
using Crm.Server.Diagnostics;
using Crm.Server.Storage;

namespace Crm.Server.Composition;

public static class StorageComposition
{
    /// <summary>
    /// Storage comes first: the settings of storage, cluster and dedup, the database with its schema applied (the
    /// schema must exist before the silo reads its tables), then the Orleans silo on it. Returns the database for the
    /// start-up steps that read it before the host is built.
    /// </summary>
    public static CrmDatabase AddCrmStorage(this WebApplicationBuilder builder)
    {
        builder.AddCrmOptions<StorageOptions>(StorageOptions.Section)
            .AddCrmOptions<CrmClusterOptions>(CrmClusterOptions.Section)
            .AddCrmOptions<DedupOptions>(DedupOptions.Section);

        var storage = StorageOptionsOf(builder.Configuration);
        var cluster = builder.Configuration.GetSection(CrmClusterOptions.Section).Get<CrmClusterOptions>() ?? new CrmClusterOptions();
        StartupChecks.Validate(storage, cluster);
        var database = new CrmDatabase(storage.Provider, storage.EffectiveConnectionString, storage.SqliteDurability, storage.DatabaseTimeout);
        SchemaInstaller.Apply(database, storage.DataDirectory);

        // Before the silo: its services and the grains take this clock when a test sets one.
        SteeredClock.Register(builder.Services, builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.AddCrmSilo(database, cluster, grainStorage: storage.GrainStorage);
            OpsDashboard.AddTo(silo, builder.Configuration);
        });
        return database;
    }

    /// <summary>The storage settings as configured (defaults for what is not).</summary>
    public static StorageOptions StorageOptionsOf(IConfiguration configuration) =>
        configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
}
