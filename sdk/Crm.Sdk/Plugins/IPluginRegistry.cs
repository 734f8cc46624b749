namespace Crm.Sdk;

/// <summary>
/// What a plugin registers with the host during <see cref="ICrmPlugin.Register"/>. Strategies are found by their
/// <c>Name</c>; pools and settings refer to those names. A name already taken by another plugin is refused and
/// reported, the rest of the plugin still loads.
/// </summary>
public interface IPluginRegistry
{
    /// <summary>The plugin API version of the host (the host's <c>Crm.Sdk</c> assembly version).</summary>
    Version HostApiVersion { get; }

    /// <summary>Adds an assignment strategy (who gets a new lead or a customer from the public pool).</summary>
    /// <param name="strategy">The strategy; its <see cref="IAssignmentStrategy.Name"/> must be unique in the host.</param>
    void AddAssignmentStrategy(IAssignmentStrategy strategy);

    /// <summary>Adds a dedup strategy (blocking keys and a pairwise comparison).</summary>
    /// <param name="strategy">The strategy; its <see cref="IDedupStrategy.Name"/> must be unique in the host.</param>
    void AddDedupStrategy(IDedupStrategy strategy);

    /// <summary>Adds a provider of quick-note templates.</summary>
    /// <param name="provider">The provider; template ids must be unique in the host.</param>
    void AddNoteTemplates(INoteTemplateProvider provider);

    /// <summary>Adds a message channel (sends, or prepares, the messages of nurturing-sequence steps).</summary>
    /// <param name="channel">The channel; its <see cref="IMessageChannel.Name"/> must be unique in the host.</param>
    void AddMessageChannel(IMessageChannel channel);

    /// <summary>Adds a geocoder (an address to a point, for customers' locations).</summary>
    /// <param name="geocoder">The geocoder; its <see cref="IGeocoder.Name"/> must be unique in the host.</param>
    void AddGeocoder(IGeocoder geocoder);
}
