using Crm.Plugins.Standard.Assignment;
using Crm.Plugins.Standard.Geocoding;
using Crm.Plugins.Standard.Messaging;
using Crm.Plugins.Standard.Notes;
using Crm.Sdk;

namespace Crm.Plugins.Standard;

/// <summary>
/// The assignment strategies, note templates, the manual message channel and the offline geocoder every server ships with; pools name them as their defaults and
/// fallbacks. The standard dedup strategies register through <see cref="Dedup.StandardDedupPlugin"/>.
/// </summary>
public sealed class StandardPlugin : ICrmPlugin
{
    public string Name => "Crm.Plugins.Standard";

    public void Register(IPluginRegistry registry)
    {
        foreach (var strategy in AssignmentStrategies.All())
        {
            registry.AddAssignmentStrategy(strategy);
        }

        registry.AddNoteTemplates(new StandardNoteTemplates());
        registry.AddMessageChannel(new ManualChannel());
        registry.AddGeocoder(new ChinaDivisionsGeocoder());
    }
}
