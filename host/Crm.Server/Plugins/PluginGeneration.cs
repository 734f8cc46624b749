using Crm.Client;
using Crm.Grains.Plugins;
using Crm.Sdk;

namespace Crm.Server.Plugins;

/// <summary>
/// The plugins of one load (start-up or a reload), with their strategies indexed by name. A reload builds a new
/// generation and retires the old one; the old one unloads its plugins once the last call renting from it ends.
/// </summary>
internal sealed class PluginGeneration
{
    private readonly Dictionary<string, Entry<IAssignmentStrategy>> _assignment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry<IDedupStrategy>> _dedup = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry<IMessageChannel>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry<IGeocoder>> _geocoders = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private int _inFlight;
    private bool _retired;
    private bool _unloaded;

    public PluginGeneration(int number, DateTimeOffset loadedAt, IReadOnlyList<LoadedPlugin> plugins)
    {
        Number = number;
        LoadedAt = loadedAt;
        Plugins = plugins;
        var templates = new Dictionary<string, NoteTemplateDefinition>(StringComparer.Ordinal);
        foreach (var plugin in plugins.Where(p => p.State == PluginState.Loaded))
        {
            foreach (var strategy in plugin.AssignmentStrategies)
            {
                Index(_assignment, plugin, "assignment", strategy.Name, strategy);
            }

            foreach (var strategy in plugin.DedupStrategies)
            {
                Index(_dedup, plugin, "dedup", strategy.Name, strategy);
            }

            foreach (var channel in plugin.MessageChannels)
            {
                Index(_channels, plugin, "channel", channel.Name, channel);
            }

            foreach (var geocoder in plugin.Geocoders)
            {
                Index(_geocoders, plugin, "geocoder", geocoder.Name, geocoder);
            }

            foreach (var template in plugin.NoteTemplates)
            {
                if (template is null || string.IsNullOrWhiteSpace(template.Id))
                {
                    plugin.Warnings.Add("A note template without an id was refused.");
                }
                else if (!templates.TryAdd(template.Id, template))
                {
                    plugin.Warnings.Add($"Note template '{template.Id}' was refused: another plugin already offers that id.");
                }
            }
        }

        NoteTemplates = templates.Values.ToList();
    }

    public int Number { get; }

    public DateTimeOffset LoadedAt { get; }

    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    public IReadOnlyList<NoteTemplateDefinition> NoteTemplates { get; }

    public IReadOnlyCollection<string> AssignmentNames => _assignment.Keys;

    public IReadOnlyCollection<string> DedupNames => _dedup.Keys;

    public IReadOnlyCollection<string> ChannelNames => _channels.Keys;

    public IReadOnlyCollection<string> GeocoderNames => _geocoders.Keys;

    /// <summary>True once retired and every rented call has returned: its plugins are unloaded.</summary>
    public bool IsUnloaded
    {
        get
        {
            lock (_gate)
            {
                return _unloaded;
            }
        }
    }

    public StrategyLease<IAssignmentStrategy>? RentAssignment(string name) => Rent(_assignment, name);

    public StrategyLease<IDedupStrategy>? RentDedup(string name) => Rent(_dedup, name);

    public StrategyLease<IMessageChannel>? RentChannel(string name) => Rent(_channels, name);

    public StrategyLease<IGeocoder>? RentGeocoder(string name) => Rent(_geocoders, name);

    /// <summary>The health counters of a plugin's strategies, in registration order.</summary>
    public IEnumerable<StrategyHealth> HealthOf(LoadedPlugin plugin) =>
        _assignment.Values.Where(e => e.Plugin == plugin).Select(e => e.Health)
            .Concat(_dedup.Values.Where(e => e.Plugin == plugin).Select(e => e.Health))
            .Concat(_channels.Values.Where(e => e.Plugin == plugin).Select(e => e.Health))
            .Concat(_geocoders.Values.Where(e => e.Plugin == plugin).Select(e => e.Health));

    /// <summary>The names a plugin offers in this generation, in registration order: its registrations that were not refused.</summary>
    public Offered OfferedBy(LoadedPlugin plugin)
    {
        var templates = NoteTemplates.ToHashSet(ReferenceEqualityComparer.Instance);
        return new Offered(
            Accepted(_assignment, plugin.AssignmentStrategies, s => s.Name),
            Accepted(_dedup, plugin.DedupStrategies, s => s.Name),
            plugin.NoteTemplates.Where(t => t is not null && templates.Contains(t)).Select(t => t.Id).Distinct().ToList(),
            Accepted(_channels, plugin.MessageChannels, c => c.Name),
            Accepted(_geocoders, plugin.Geocoders, g => g.Name));
    }

    private static List<string> Accepted<T>(Dictionary<string, Entry<T>> map, IEnumerable<T> registered, Func<T, string?> name)
        where T : class =>
        registered.Where(r => name(r) is { } n && map.TryGetValue(n, out var entry) && ReferenceEquals(entry.Strategy, r))
            .Select(r => name(r)!).Distinct().ToList();

    /// <summary>No new calls start here; unloads now if none is running, else when the last one returns.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            UnloadIfIdle();
        }
    }

    private StrategyLease<T>? Rent<T>(Dictionary<string, Entry<T>> map, string name)
        where T : class
    {
        if (!map.TryGetValue(name, out var entry))
        {
            return null;
        }

        lock (_gate)
        {
            if (_retired)
            {
                return null;
            }

            _inFlight++;
        }

        return new StrategyLease<T>(entry.Strategy, entry.Plugin.Name, entry.Health, Return);
    }

    private void Return()
    {
        lock (_gate)
        {
            _inFlight--;
            UnloadIfIdle();
        }
    }

    private void UnloadIfIdle()
    {
        if (!_retired || _inFlight > 0 || _unloaded)
        {
            return;
        }

        _unloaded = true;
        foreach (var plugin in Plugins)
        {
            plugin.Loader?.Dispose();
        }
    }

    private static void Index<T>(Dictionary<string, Entry<T>> map, LoadedPlugin plugin, string kind, string? name, T strategy)
        where T : class
    {
        var what = kind switch { "channel" => "message channel", "geocoder" => "geocoder", _ => $"{kind} strategy" };
        if (string.IsNullOrWhiteSpace(name))
        {
            plugin.Warnings.Add($"{("aeiou".Contains(what[0]) ? "An" : "A")} {what} without a name was refused.");
        }
        else if (map.TryGetValue(name, out var taken))
        {
            plugin.Warnings.Add($"The {what} '{name}' was refused: plugin '{taken.Plugin.Name}' already offers that name.");
        }
        else
        {
            map[name] = new Entry<T>(strategy, plugin, new StrategyHealth(kind, name));
        }
    }

    private sealed record Entry<T>(T Strategy, LoadedPlugin Plugin, StrategyHealth Health);

    public sealed record Offered(
        List<string> Assignment, List<string> Dedup, List<string> NoteTemplates, List<string> Channels, List<string> Geocoders);
}
