using Crm.Grains.Common;

namespace Crm.Grains.Notes;

/// <summary>
/// One note template and all its versions (key: template id). Versions are never changed or removed, so a
/// note always renders and reads with the version it was written with. Callers validate the template first
/// (<see cref="NoteTemplateRules"/>) and map the API's records at their edge (<see cref="TemplateWireMapping"/>);
/// the grain keeps the history.
/// </summary>
public interface ITemplateGrain : IGrainWithStringKey
{
    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<TemplateVersion?> Get(int? version = null);

    /// <summary>Version 1 of a new template; 409 <c>already-exists</c> when the id is taken.</summary>
    Task<Result<TemplateVersion>> Create(TemplateDraft draft, string? source, Actor actor);

    /// <summary>A new version of an existing template (404 when there is none). A null org unit keeps the current one.</summary>
    Task<Result<TemplateVersion>> AddVersion(TemplateDraft draft, string? source, Actor actor);
}

/// <summary>A validated template as a new version is made of it (the API maps its <c>NoteTemplateRequest</c> to it).</summary>
[GenerateSerializer, Immutable]
public sealed record TemplateDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Language,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? OrgUnitId,
    [property: Id(4)] IReadOnlyList<TemplateField> Fields,
    [property: Id(5)] string Body);
