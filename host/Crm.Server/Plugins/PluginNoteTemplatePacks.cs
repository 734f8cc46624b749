using Crm.Client;
using Crm.Grains.Notes;

namespace Crm.Server.Plugins;

/// <summary>The note templates of the current plugin generation, each with the plugin that offers it.</summary>
internal sealed class PluginNoteTemplatePacks(PluginHost host) : INoteTemplatePacks
{
    public IReadOnlyList<NoteTemplatePack> Available()
    {
        var generation = host.Current;

        // The generation keeps the first plugin to offer an id; later duplicates were refused with a warning.
        var accepted = generation.NoteTemplates.ToHashSet(ReferenceEqualityComparer.Instance);
        return generation.Plugins.Where(p => p.State == PluginState.Loaded)
            .SelectMany(p => p.NoteTemplates.Where(t => t is not null && accepted.Contains(t)).Select(t => new NoteTemplatePack(p.Name, t)))
            .ToList();
    }
}
