using Crm.Client;
using Crm.Grains.Plugins;
using Crm.Sdk;
using Microsoft.Extensions.Options;

namespace Crm.Server.Plugins;

/// <summary>
/// Loads every subfolder of the plugins directory and serves their strategies by name. <see cref="Reload"/> swaps in
/// a freshly loaded generation: new calls use it at once, calls in flight finish on the old one, which then unloads.
/// </summary>
public sealed class PluginHost : IStrategyCatalog, IDisposable
{
    private readonly PluginFolderLoader _loader;
    private readonly IOptions<PluginOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PluginHost> _logger;
    private readonly object _reloadGate = new();
    private PluginGeneration _current;

    internal PluginHost(PluginFolderLoader loader, IOptions<PluginOptions> options, TimeProvider clock, ILogger<PluginHost> logger)
    {
        _loader = loader;
        _options = options;
        _clock = clock;
        _logger = logger;
        _current = new PluginGeneration(0, clock.GetUtcNow(), []);
    }

    public string Directory => _options.Value.FullDirectory;

    public IReadOnlyCollection<string> AssignmentStrategyNames => Current.AssignmentNames;

    public IReadOnlyCollection<string> DedupStrategyNames => Current.DedupNames;

    public IReadOnlyCollection<string> MessageChannelNames => Current.ChannelNames;

    public IReadOnlyCollection<string> GeocoderNames => Current.GeocoderNames;

    public IReadOnlyList<NoteTemplateDefinition> NoteTemplates => Current.NoteTemplates;

    internal PluginGeneration Current => Volatile.Read(ref _current);

    public StrategyLease<IAssignmentStrategy>? RentAssignment(string name) => Rent(g => g.RentAssignment(name));

    public StrategyLease<IDedupStrategy>? RentDedup(string name) => Rent(g => g.RentDedup(name));

    public StrategyLease<IMessageChannel>? RentChannel(string name) => Rent(g => g.RentChannel(name));

    public StrategyLease<IGeocoder>? RentGeocoder(string name) => Rent(g => g.RentGeocoder(name));

    /// <summary>Loads the plugins directory again and makes the result current; answers the new listing.</summary>
    public PluginListDto Reload()
    {
        lock (_reloadGate)
        {
            var directory = Directory;
            var plugins = new List<LoadedPlugin>();
            if (System.IO.Directory.Exists(directory))
            {
                foreach (var folder in LoadOrder(System.IO.Directory.GetDirectories(directory)))
                {
                    var plugin = RefuseTakenName(_loader.Load(folder), plugins);
                    Log(plugin);
                    plugins.Add(plugin);
                }
            }
            else
            {
                _logger.LogWarning("Plugins directory {Directory} does not exist: no plugins loaded", directory);
            }

            var next = new PluginGeneration(Current.Number + 1, _clock.GetUtcNow(), plugins);
            foreach (var warning in plugins.SelectMany(p => p.Warnings.Select(w => (p.Name, w))))
            {
                _logger.LogWarning("Plugin {Plugin}: {Warning}", warning.Name, warning.w);
            }

            var previous = Interlocked.Exchange(ref _current, next);
            previous.Retire();
            _logger.LogInformation("Plugins generation {Generation} active: {Loaded} loaded, {NotLoaded} not loaded; assignment [{Assignment}], dedup [{Dedup}]",
                next.Number, plugins.Count(p => p.State == PluginState.Loaded), plugins.Count(p => p.State != PluginState.Loaded),
                string.Join(", ", next.AssignmentNames), string.Join(", ", next.DedupNames));
            return Describe(next);
        }
    }

    /// <summary>
    /// The standard plugin first, then the other folders in name order: a name goes to the first plugin to offer it, so
    /// the built-in strategies (among them <c>least-loaded</c>, every pool's default fallback) keep their names whatever a
    /// third-party folder is called (Acme..., Contoso... sort before Crm.Plugins.Standard).
    /// </summary>
    internal static IEnumerable<string> LoadOrder(IEnumerable<string> folders) =>
        folders.OrderBy(f => Path.GetFileName(f) == StandardFolder ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal);

    /// <summary>
    /// A plugin whose name an earlier loaded plugin already has does not load: templates are imported and strategies
    /// reported by plugin name, so two plugins of one name (a copied sample whose name was never changed) would pass
    /// for each other.
    /// </summary>
    private static LoadedPlugin RefuseTakenName(LoadedPlugin plugin, IEnumerable<LoadedPlugin> earlier)
    {
        if (plugin.State != PluginState.Loaded
            || earlier.FirstOrDefault(p => p.State == PluginState.Loaded && string.Equals(p.Name, plugin.Name, StringComparison.OrdinalIgnoreCase)) is not { } owner)
        {
            return plugin;
        }

        plugin.Loader?.Dispose();
        return LoadedPlugin.Failed(plugin.Folder, plugin.Name, PluginState.Failed,
            $"The plugin name '{plugin.Name}' is already taken by the plugin in folder {owner.Folder} ({owner.Folder}/{owner.Folder}.dll); "
            + $"{plugin.Folder}/{plugin.Folder}.dll was not loaded. Give one of them another ICrmPlugin.Name.",
            plugin.Version, plugin.SdkVersion);
    }

    /// <summary>The folder of the plugin that ships the built-in strategies.</summary>
    public const string StandardFolder = "Crm.Plugins.Standard";

    /// <summary>The listing of <c>GET /api/plugins</c>.</summary>
    public PluginListDto Describe() => Describe(Current);

    public void Dispose() => Current.Retire();

    private PluginListDto Describe(PluginGeneration generation) => new(
        PluginApi.Version.ToString(),
        Directory,
        generation.Number,
        generation.LoadedAt,
        generation.Plugins.Select(p =>
        {
            var health = generation.HealthOf(p).Select(h => new StrategyHealthDto(
                h.Kind, h.Name, h.Calls, h.Faults, h.Timeouts, h.RunningPastBudget, h.LastFault, h.LastFaultAt)).ToList();
            // Only what the plugin really offers: a registration refused with a warning is not listed as offered.
            var offered = generation.OfferedBy(p);
            return new PluginDto(p.Name, p.Folder, p.Version, p.SdkVersion, p.State, p.Reason,
                offered.Assignment, offered.Dedup, offered.NoteTemplates,
                p.Warnings.ToList(),
                health.Sum(h => h.Faults),
                health,
                offered.Channels, offered.Geocoders);
        }).ToList());

    private StrategyLease<T>? Rent<T>(Func<PluginGeneration, StrategyLease<T>?> rent)
        where T : class
    {
        // A reload may retire the generation between reading it and renting from it: then rent from the new one.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var generation = Current;
            if (rent(generation) is { } lease)
            {
                return lease;
            }

            if (ReferenceEquals(generation, Current))
            {
                return null;
            }
        }

        return null;
    }

    private void Log(LoadedPlugin plugin)
    {
        if (plugin.State == PluginState.Loaded)
        {
            _logger.LogInformation("Plugin {Plugin} {Version} (Crm.Sdk {SdkVersion}) loaded from {Folder}: assignment [{Assignment}], dedup [{Dedup}], note templates [{Templates}], message channels [{Channels}], geocoders [{Geocoders}]",
                plugin.Name, plugin.Version, plugin.SdkVersion, plugin.Folder,
                string.Join(", ", plugin.AssignmentStrategies.Select(s => s.Name)),
                string.Join(", ", plugin.DedupStrategies.Select(s => s.Name)),
                string.Join(", ", plugin.NoteTemplates.Select(t => t?.Id)),
                string.Join(", ", plugin.MessageChannels.Select(c => c.Name)),
                string.Join(", ", plugin.Geocoders.Select(g => g.Name)));
        }
        else
        {
            _logger.LogError("Plugin folder {Folder} skipped ({State}): {Reason}", plugin.Folder, plugin.State, plugin.Reason);
        }
    }
}
