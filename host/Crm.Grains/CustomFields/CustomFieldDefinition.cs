using Crm.Grains.Deals;

namespace Crm.Grains.CustomFields;

/// <summary>
/// A field an admin added to customer or deal cards. <see cref="Required"/> fields are needed on create (and may not be
/// cleared); <see cref="RequiredAtStages"/> names the stages a card may only move into once the field is filled
/// (customer stages: lead, opportunity, customer, lost, invalid; deal stages: a pipeline's keys, or <c>won</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CustomFieldDefinition(
    [property: Id(0)] CustomFieldEntity Entity,
    [property: Id(1)] string Key,
    [property: Id(2)] LocalizedText Label,
    [property: Id(3)] CustomFieldType Type,
    [property: Id(4)] bool Required,
    [property: Id(5)] IReadOnlyList<string> Options,
    [property: Id(6)] IReadOnlyList<string> RequiredAtStages,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt)
{
    /// <summary>The deal pseudo-stage a win moves into, for <see cref="RequiredAtStages"/>.</summary>
    public const string WonStage = "won";
}
