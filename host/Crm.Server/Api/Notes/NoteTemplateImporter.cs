using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notes;

namespace Crm.Server.Api.Notes;

/// <summary>
/// Imports the note templates a loaded plugin offers: each becomes a template of the business (or a new version of
/// the one an earlier import created), unless a template of another origin already has its id.
/// </summary>
public sealed class NoteTemplateImporter(IEnumerable<INoteTemplatePacks> sources, IGrainFactory grains, NoteComposer composer)
{
    /// <summary>The templates the loaded plugins offer.</summary>
    public IReadOnlyList<NoteTemplatePackDto> Packs() => Offered()
        .Select(p => new NoteTemplatePackDto(p.Plugin, p.Template.Id, p.Template.Name, p.Template.Language, p.Template.Description))
        .ToList();

    /// <summary>Imports <paramref name="templateIds"/> (all the plugin offers when empty) for <paramref name="unit"/>; one result per template.</summary>
    public async Task<Result<IReadOnlyList<ImportNoteTemplateResult>>> ImportAsync(
        string plugin, IReadOnlyList<string>? templateIds, string? unit, Actor actor)
    {
        var offered = Offered().Where(p => string.Equals(p.Plugin, plugin, StringComparison.OrdinalIgnoreCase)).ToList();
        if (offered.Count == 0)
        {
            return new CrmError(ErrorCodes.NotFound, $"No loaded plugin '{plugin}' offers note templates.", 404, new() { ["plugin"] = plugin });
        }

        var wanted = templateIds is { Count: > 0 } ids ? ids : offered.Select(p => p.Template.Id).ToList();
        var results = new List<ImportNoteTemplateResult>();
        foreach (var templateId in wanted.Distinct())
        {
            results.Add(await ImportOneAsync(templateId, offered, unit, actor));
        }

        return results;
    }

    private async Task<ImportNoteTemplateResult> ImportOneAsync(string templateId, List<NoteTemplatePack> offered, string? unit, Actor actor)
    {
        if (offered.FirstOrDefault(p => p.Template.Id == templateId) is not { } pack)
        {
            return Rejected(templateId, $"Plugin '{offered[0].Plugin}' offers no template '{templateId}'.");
        }

        var request = NoteTemplateImport.ToRequest(pack.Template, unit);
        var (errors, _) = await composer.CheckDraftAsync(request);
        if (errors.Count > 0)
        {
            return Rejected(templateId, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var source = $"plugin:{pack.Plugin}";
        var grain = grains.GetGrain<ITemplateGrain>(templateId);
        var saved = (await grain.Get())?.ToWire();
        if (saved is not null && saved.Source != source)
        {
            return Rejected(templateId, $"The id '{templateId}' is taken by a template that did not come from '{pack.Plugin}'.");
        }

        if (saved is not null && NoteTemplateImport.SameContent(saved, request with { Language = request.Language ?? "en" }))
        {
            return new(templateId, "unchanged", saved.Version, null);
        }

        var result = saved is null ? await grain.Create(request.ToDraft(), source, actor) : await grain.AddVersion(request.ToDraft(), source, actor);
        return result.Error is { } error
            ? Rejected(templateId, error.Message)
            : new(templateId, saved is null ? "created" : "updated", result.Value!.Version, null);
    }

    private IEnumerable<NoteTemplatePack> Offered() => sources.SelectMany(s => s.Available());

    private static ImportNoteTemplateResult Rejected(string templateId, string error) => new(templateId, "rejected", null, error);
}
