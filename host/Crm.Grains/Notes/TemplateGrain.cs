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

    public Task<NoteTemplateDto?> Get(int? version = null) => Task.FromResult(version switch
    {
        null => Versions.LastOrDefault()?.ToWire(),
        { } v when v >= 1 && v <= Versions.Count => Versions[v - 1].ToWire(),
        _ => null,
    });

    public async Task<Result<NoteTemplateDto>> Create(NoteTemplateRequest request, string? source, Actor actor)
    {
        if (Versions.Count > 0)
        {
            return CrmError.Conflict(ErrorCodes.AlreadyExists, $"Note template '{Id}' already exists; PUT a new version instead.",
                new() { ["templateId"] = Id });
        }

        return await AppendAsync(request, request.OrgUnitId, source, actor);
    }

    public async Task<Result<NoteTemplateDto>> AddVersion(NoteTemplateRequest request, string? source, Actor actor)
    {
        if (Versions.Count == 0)
        {
            return CrmError.NotFound("Note template", Id);
        }

        return await AppendAsync(request, request.OrgUnitId ?? Versions[^1].OrgUnitId, source, actor);
    }

    private async Task<NoteTemplateDto> AppendAsync(NoteTemplateRequest request, string? orgUnitId, string? source, Actor actor)
    {
        var version = new NoteTemplateDto(
            Id,
            Versions.Count + 1,
            request.Name!.Trim(),
            string.IsNullOrWhiteSpace(request.Language) ? "en" : request.Language.Trim(),
            string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            orgUnitId,
            request.Fields!.Select(f => f with { Options = f.Options ?? [] }).ToList(),
            request.Body!,
            source,
            clock.GetUtcNow(),
            actor.UserId);
        Versions.Add(version.ToStored());
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Versions.RemoveAt(Versions.Count - 1);
            throw;
        }

        await projection.UpsertTemplateAsync(version);
        return version;
    }
}
