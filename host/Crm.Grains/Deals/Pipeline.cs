namespace Crm.Grains.Deals;

/// <summary>A sales pipeline as the catalogue holds it: ordered stages, company-wide (no unit) or for a unit and those below it.</summary>
[GenerateSerializer, Immutable]
public sealed record Pipeline(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? OrgUnitId,
    [property: Id(3)] bool IsDefault,
    [property: Id(4)] IReadOnlyList<PipelineStage> Stages,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt)
{
    public const string DefaultId = "default";

    public PipelineStage? Stage(string key) => Stages.FirstOrDefault(s => s.Key == key);
}
