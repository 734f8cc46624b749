using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notes;

namespace Crm.Server.Api.Notes;

/// <summary>
/// Imports the note templates a loaded plugin offers: each becomes a template of the business (or a new version of
/// the one an earlier import created for the same unit). Template ids are company-wide, so an id already held by a
/// template of another origin, of another unit or company-wide is refused with the way out (<c>idPrefix</c>): an import
/// never answers <c>unchanged</c> for a template the unit does not hold, and never moves a template to another unit.
/// </summary>
public sealed class NoteTemplateImporter(IEnumerable<INoteTemplatePacks> sources, IGrainFactory grains, NoteComposer composer, NoteTemplateScope scope)
{
    /// <summary>The templates the loaded plugins offer.</summary>
    public IReadOnlyList<NoteTemplatePackDto> Packs() => Offered()
        .Select(p => new NoteTemplatePackDto(p.Plugin, p.Template.Id, p.Template.Name, p.Template.Language, p.Template.Description))
        .ToList();

    /// <summary>
    /// Imports <paramref name="templateIds"/> (all the plugin offers when empty) for <paramref name="unit"/>, each under
    /// <c>{idPrefix}{id}</c>; one result per template, named by the id it is saved under.
    /// </summary>
    public async Task<Result<IReadOnlyList<ImportNoteTemplateResult>>> ImportAsync(
        string plugin, IReadOnlyList<string>? templateIds, string? unit, string? idPrefix, Actor actor)
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
            results.Add(await ImportOneAsync(templateId, offered, unit, idPrefix ?? "", actor));
        }

        return results;
    }

    private async Task<ImportNoteTemplateResult> ImportOneAsync(string templateId, List<NoteTemplatePack> offered, string? unit, string prefix, Actor actor)
    {
        if (offered.FirstOrDefault(p => p.Template.Id == templateId) is not { } pack)
        {
            return Rejected(templateId, $"Plugin '{offered[0].Plugin}' offers no template '{templateId}'.");
        }

        var id = prefix + templateId;
        if (NoteTemplateImport.Unreadable(pack.Template) is { } unreadable)
        {
            return Rejected(id, unreadable);
        }

        var request = NoteTemplateImport.ToRequest(pack.Template, unit) with { Id = id };
        var (errors, _) = await composer.CheckDraftAsync(request);
        if (errors.Count > 0)
        {
            return Rejected(id, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        var source = $"plugin:{pack.Plugin}";
        var grain = grains.GetGrain<ITemplateGrain>(id);
        var saved = (await grain.Get())?.ToWire();
        if (saved is not null && await TakenAsync(saved, unit, source, pack.Plugin, actor) is { } taken)
        {
            return Rejected(id, taken);
        }

        if (saved is not null && NoteTemplateImport.SameContent(saved, request with { Language = request.Language ?? "en" }))
        {
            return new(id, "unchanged", saved.Version, null);
        }

        // A new version keeps the template's unit (a null unit keeps the current one): an import never moves a template.
        var result = saved is null
            ? await grain.Create(request.ToDraft(), source, actor)
            : await grain.AddVersion(request.ToDraft() with { OrgUnitId = null }, source, actor);
        return result.Error is { } error
            ? Rejected(id, error.Message)
            : new(id, saved is null ? "created" : "updated", result.Value!.Version, null);
    }

    /// <summary>
    /// Why an import may not write the id's template: only the plugin's own template of the same unit (or company-wide
    /// for a company-wide import) is updated. A template the caller cannot see is not described beyond the id being taken.
    /// </summary>
    private async Task<string?> TakenAsync(NoteTemplateDto saved, string? unit, string source, string plugin, Actor actor)
    {
        var way = $"To give this unit its own copy, import it with an 'idPrefix' (e.g. \"east-\" saves it as 'east-{saved.Id}').";
        if (!await scope.CanSeeAsync(actor, saved))
        {
            return $"The id '{saved.Id}' is taken by a template outside your reach. {way}";
        }

        if (saved.OrgUnitId != unit)
        {
            var holder = saved.OrgUnitId is null ? "a company-wide template" : $"a template of org unit '{saved.OrgUnitId}'";
            return $"The id '{saved.Id}' is taken by {holder}; an import only updates a template of the unit it imports into. {way}";
        }

        return saved.Source != source ? $"The id '{saved.Id}' is taken by a template that did not come from '{plugin}'. {way}" : null;
    }

    private IEnumerable<NoteTemplatePack> Offered() => sources.SelectMany(s => s.Available());

    private static ImportNoteTemplateResult Rejected(string templateId, string error) => new(templateId, "rejected", null, error);
}
