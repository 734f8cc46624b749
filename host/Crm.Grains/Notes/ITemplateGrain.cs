using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Grains.Notes;

/// <summary>
/// One note template and all its versions (key: template id). Versions are never changed or removed, so a
/// note always renders and reads with the version it was written with. Callers validate the template first
/// (<see cref="NoteTemplateRules"/>); the grain keeps the history.
/// </summary>
public interface ITemplateGrain : IGrainWithStringKey
{
    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<NoteTemplateDto?> Get(int? version = null);

    /// <summary>Version 1 of a new template; 409 <c>already-exists</c> when the id is taken.</summary>
    Task<Result<NoteTemplateDto>> Create(NoteTemplateRequest request, string? source, Actor actor);

    /// <summary>A new version of an existing template (404 when there is none). A null org unit keeps the current one.</summary>
    Task<Result<NoteTemplateDto>> AddVersion(NoteTemplateRequest request, string? source, Actor actor);
}
