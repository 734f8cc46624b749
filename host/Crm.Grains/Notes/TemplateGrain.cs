using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Grains.Notes;

public sealed class TemplateGrain(
    [PersistentState("note-template", "crm")] IPersistentState<TemplateState> state,
    NoteProjection projection,
    TimeProvider clock) : Grain, ITemplateGrain
{
    private List<TemplateVersion> Versions => state.State.Versions;

    private string Id => this.GetPrimaryKeyString();

    // A crash between the state write and the list row is healed the next time the template is used.
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Versions.Count > 0)
        {
            await projection.UpsertTemplateAsync(Versions[^1].ToWire());
        }
    }

    public Task<TemplateVersion?> Get(int? version = null) => Task.FromResult(version switch
    {
        null => Versions.LastOrDefault(),
        { } v when v >= 1 && v <= Versions.Count => Versions[v - 1],
        _ => null,
    });

    public async Task<Result<TemplateVersion>> Create(TemplateDraft draft, string? source, Actor actor)
    {
        if (Versions.Count > 0)
        {
            return CrmError.Conflict(ErrorCodes.AlreadyExists, $"Note template '{Id}' already exists; PUT a new version instead.",
                new() { ["templateId"] = Id });
        }

        return await AppendAsync(draft, draft.OrgUnitId, source, actor);
    }

    public async Task<Result<TemplateVersion>> AddVersion(TemplateDraft draft, string? source, Actor actor)
    {
        if (Versions.Count == 0)
        {
            return CrmError.NotFound("Note template", Id);
        }

        return await AppendAsync(draft, draft.OrgUnitId ?? Versions[^1].OrgUnitId, source, actor);
    }

    private async Task<TemplateVersion> AppendAsync(TemplateDraft draft, string? orgUnitId, string? source, Actor actor)
    {
        var version = new TemplateVersion(
            Id,
            Versions.Count + 1,
            draft.Name.Trim(),
            string.IsNullOrWhiteSpace(draft.Language) ? "en" : draft.Language.Trim(),
            string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim(),
            orgUnitId,
            draft.Fields,
            draft.Body,
            source,
            clock.GetUtcNow(),
            actor.UserId);
        Versions.Add(version);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Versions.RemoveAt(Versions.Count - 1);
            throw;
        }

        await projection.UpsertTemplateAsync(version.ToWire());
        return version;
    }
}
