using Crm.Sdk;

namespace Crm.Grains.Notes;

/// <summary>A template a loaded plugin offers, with the plugin that offers it.</summary>
public sealed record NoteTemplatePack(string Plugin, NoteTemplateDefinition Template);
