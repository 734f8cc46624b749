using Crm.Client;
using Crm.Sdk;
using McMaster.NETCore.Plugins;

namespace Crm.Server.Plugins;

/// <summary>One plugin folder after a load attempt: its metadata, state, and (when loaded) what it registered.</summary>
internal sealed class LoadedPlugin
{
    public required string Folder { get; init; }

    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? SdkVersion { get; init; }

    public required PluginState State { get; init; }

    public string? Reason { get; init; }

    /// <summary>The load context of a loaded plugin; disposing it unloads the plugin's assemblies.</summary>
    public PluginLoader? Loader { get; init; }

    public IReadOnlyList<IAssignmentStrategy> AssignmentStrategies { get; init; } = [];

    public IReadOnlyList<IDedupStrategy> DedupStrategies { get; init; } = [];

    public IReadOnlyList<NoteTemplateDefinition> NoteTemplates { get; init; } = [];

    public IReadOnlyList<IMessageChannel> MessageChannels { get; init; } = [];

    public IReadOnlyList<IGeocoder> Geocoders { get; init; } = [];

    /// <summary>Registrations refused without failing the plugin (a name already taken, an invalid template).</summary>
    public List<string> Warnings { get; } = [];

    public static LoadedPlugin Failed(string folder, string name, PluginState state, string reason, string? version = null, string? sdkVersion = null) =>
        new() { Folder = folder, Name = name, State = state, Reason = reason, Version = version, SdkVersion = sdkVersion };
}
