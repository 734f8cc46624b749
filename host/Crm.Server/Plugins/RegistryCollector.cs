using Crm.Sdk;

namespace Crm.Server.Plugins;

/// <summary>
/// The <see cref="IPluginRegistry"/> handed to a plugin's <c>Register</c>. Collects registrations; the host takes
/// them only when <c>Register</c> returned in time, so a plugin is loaded whole or not at all.
/// </summary>
internal sealed class RegistryCollector(Version hostApiVersion) : IPluginRegistry
{
    private readonly object _gate = new();
    private bool _sealed;

    public Version HostApiVersion { get; } = hostApiVersion;

    public List<IAssignmentStrategy> AssignmentStrategies { get; } = [];

    public List<IDedupStrategy> DedupStrategies { get; } = [];

    public List<INoteTemplateProvider> TemplateProviders { get; } = [];

    public List<IMessageChannel> MessageChannels { get; } = [];

    public List<IGeocoder> Geocoders { get; } = [];

    public void AddAssignmentStrategy(IAssignmentStrategy strategy) => Add(AssignmentStrategies, strategy);

    public void AddDedupStrategy(IDedupStrategy strategy) => Add(DedupStrategies, strategy);

    public void AddNoteTemplates(INoteTemplateProvider provider) => Add(TemplateProviders, provider);

    public void AddMessageChannel(IMessageChannel channel) => Add(MessageChannels, channel);

    public void AddGeocoder(IGeocoder geocoder) => Add(Geocoders, geocoder);

    /// <summary>Refuses registrations from a <c>Register</c> that returned after its budget.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            _sealed = true;
        }
    }

    private void Add<T>(List<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            if (_sealed)
            {
                throw new InvalidOperationException("Registration is closed: Register took longer than its budget.");
            }

            list.Add(item);
        }
    }
}
