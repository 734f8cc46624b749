using Crm.Sdk;

namespace Crm.Grains.Plugins;

/// <summary>
/// The strategies and templates the loaded plugins offer, found by name. Implemented by the server's plugin host;
/// grains reach strategies through <see cref="StrategyRunner"/>, which adds the time budget and the fallback.
/// </summary>
public interface IStrategyCatalog
{
    /// <summary>
    /// Rents the current version of an assignment strategy, or null when no loaded plugin offers it. Dispose the
    /// lease when the call is over: a reload unloads the old version only after its last lease is returned.
    /// </summary>
    StrategyLease<IAssignmentStrategy>? RentAssignment(string name);

    /// <summary>Rents the current version of a dedup strategy, or null when no loaded plugin offers it.</summary>
    StrategyLease<IDedupStrategy>? RentDedup(string name);

    /// <summary>Rents the current version of a message channel, or null when no loaded plugin offers it.</summary>
    StrategyLease<IMessageChannel>? RentChannel(string name);

    /// <summary>Rents the current version of a geocoder, or null when no loaded plugin offers it.</summary>
    StrategyLease<IGeocoder>? RentGeocoder(string name);

    /// <summary>Names of the geocoders loaded now.</summary>
    IReadOnlyCollection<string> GeocoderNames { get; }

    /// <summary>Names of the message channels loaded now.</summary>
    IReadOnlyCollection<string> MessageChannelNames { get; }

    /// <summary>Names of the assignment strategies loaded now.</summary>
    IReadOnlyCollection<string> AssignmentStrategyNames { get; }

    /// <summary>Names of the dedup strategies loaded now.</summary>
    IReadOnlyCollection<string> DedupStrategyNames { get; }

    /// <summary>The note templates of the loaded plugins (validated at load: unique ids).</summary>
    IReadOnlyList<NoteTemplateDefinition> NoteTemplates { get; }
}
