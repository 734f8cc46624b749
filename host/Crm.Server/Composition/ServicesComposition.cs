using Crm.Server.Api.Contracts;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Dedup;
using Crm.Server.Api.FieldWork;
using Crm.Server.Api.Notes;
using Crm.Server.Api.Pools;
using Crm.Server.Api.Reps;
using Crm.Server.Api.Rfm;
using Crm.Server.Api.Targets;
using Crm.Server.Hubs;
using Crm.Server.Org;
using Crm.Server.Permissions;

namespace Crm.Server.Composition;

public static class ServicesComposition
{
    /// <summary>The server's own services: users and the org tree with its permissions (docs/permissions.md), read-model queries, importers and the push relay.</summary>
    public static WebApplicationBuilder AddCrmServices(this WebApplicationBuilder builder)
    {
        builder.AddCrmOptions<ImportOptions>(ImportOptions.Section);
        var services = builder.Services;
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<OrgUnitDirectory>();
        services.AddSingleton<OrgTreeNotifier>();
        services.AddSingleton<RegionDirectory>();
        services.AddSingleton<RepHandover>();
        services.AddSingleton<UnitMoveCheck>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CallerClaims>();
        services.AddSingleton<CustomerQueries>();
        services.AddSingleton<PrivatePoolPages>();
        services.AddSingleton<CustomerImporter>();
        services.AddSingleton<BatchImporter>();
        services.AddSingleton<CardReindex>();
        services.AddSingleton<PoolQueries>();
        services.AddSingleton<StatusPoolQueries>();
        services.AddSingleton<Crm.Server.Api.Deals.CatalogStore>();
        services.AddSingleton<Crm.Server.Api.Deals.DealQueries>();
        services.AddSingleton<Crm.Server.Api.CustomFields.CustomFieldStore>();
        services.AddNotes();
        Crm.Server.Api.Tasks.TasksComposition.AddCrmTasks(services);
        services.AddSingleton<Crm.Server.Api.Leaderboards.LeaderboardAccess>();
        services.AddSingleton<Crm.Server.Api.Activity.ActivityStore>();
        services.AddSingleton<PushRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<PushRelay>());
        return builder.AddCrmFieldWork().AddCrmContracts().AddCrmTargets().AddCrmRfm();
    }
}
