namespace Crm.Grains.Notes;

[GenerateSerializer]
public sealed class TemplateState
{
    /// <summary>Every version, oldest first; version n is at index n - 1.</summary>
    [Id(1)] public List<TemplateVersion> Versions { get; set; } = [];
}

/// <summary>One version of a note template as the template grain stores it (mapped to <c>NoteTemplateDto</c> on the way out).</summary>
[GenerateSerializer, Immutable]
public sealed record TemplateVersion(
    [property: Id(0)] string Id,
    [property: Id(1)] int Version,
    [property: Id(2)] string Name,
    [property: Id(3)] string Language,
    [property: Id(4)] string? Description,
    [property: Id(5)] string? OrgUnitId,
    [property: Id(6)] IReadOnlyList<TemplateField> Fields,
    [property: Id(7)] string Body,
    [property: Id(8)] string? Source,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? CreatedBy);

/// <summary>One question of a stored template version; <see cref="Type"/> is the field type's name (<c>SingleChoice</c> …).</summary>
[GenerateSerializer, Immutable]
public sealed record TemplateField(
    [property: Id(0)] string Key,
    [property: Id(1)] string Label,
    [property: Id(2)] string Type,
    [property: Id(3)] IReadOnlyList<string> Options,
    [property: Id(4)] bool Required,
    [property: Id(5)] double? Min,
    [property: Id(6)] double? Max,
    [property: Id(7)] string? Help,
    [property: Id(8)] bool NextFollowUp);
