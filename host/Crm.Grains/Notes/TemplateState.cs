using Crm.Client;

namespace Crm.Grains.Notes;

[GenerateSerializer]
public sealed class TemplateState
{
    /// <summary>Every version, oldest first; version n is at index n - 1.</summary>
    [Id(0)] public List<NoteTemplateDto> Versions { get; set; } = [];
}
