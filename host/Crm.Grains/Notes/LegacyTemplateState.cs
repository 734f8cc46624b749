using Crm.Client;

namespace Crm.Grains.Notes;

/// <summary>
/// A template's stored state as it was while its versions were the API's wire type (field 0), read from old state
/// blobs by the start-up migration. A blob written since has no field 0: it reads as null.
/// </summary>
[GenerateSerializer]
public sealed class LegacyTemplateState
{
    [Id(0)] public List<NoteTemplateDto>? Versions { get; set; }

    public bool IsLegacy => Versions is not null;

    public TemplateState Upgrade() => new() { Versions = Versions?.Select(v => v.ToStored()).ToList() ?? [] };
}
