using Crm.Grains.Dedup;
using Crm.Grains.Notes;
using Crm.Grains.Plugins;
using Microsoft.Extensions.Options;

namespace Crm.Server.Plugins;

public static class PluginServiceExtensions
{
    /// <summary>The plugin host, the strategy catalog grains use, and the adapter that runs strategies with a budget.</summary>
    public static IServiceCollection AddCrmPlugins(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PluginOptions>().Bind(configuration.GetSection(PluginOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PluginFolderLoader>();
        services.AddSingleton(sp => new PluginHost(
            sp.GetRequiredService<PluginFolderLoader>(),
            sp.GetRequiredService<IOptions<PluginOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PluginHost>>()));
        services.AddSingleton<IStrategyCatalog>(sp => sp.GetRequiredService<PluginHost>());
        // A reload on one silo reaches the others through a version stamp in the database.
        services.AddSingleton<PluginReloadBroadcast>();
        services.AddHostedService(sp => sp.GetRequiredService<PluginReloadBroadcast>());
        services.AddSingleton<INoteTemplatePacks, PluginNoteTemplatePacks>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PluginOptions>>().Value;
            return new StrategyCallOptions
            {
                Budget = TimeSpan.FromMilliseconds(options.CallTimeoutMilliseconds),
                MaxCallsPastBudget = options.MaxCallsPastBudget,
            };
        });
        services.AddSingleton<StrategyRunner>();
        services.AddSingleton<StrategyTrial>();
        // Replaces the in-process default of the silo setup: the dedup index calls plugins through the runner.
        services.AddSingleton<IDedupStrategySource, PluginDedupStrategySource>();
        return services;
    }

    /// <summary>Loads the plugins directory once at start-up, before the server takes requests.</summary>
    public static void LoadCrmPlugins(this IServiceProvider services) => services.GetRequiredService<PluginReloadBroadcast>().LoadAtStartUp();
}
