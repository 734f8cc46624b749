namespace Crm.Grains.Deals;

/// <summary>A deal to open, as the API validated and resolved it (lines priced, products named, amounts rounded).</summary>
[GenerateSerializer, Immutable]
public sealed record NewDeal(
    [property: Id(0)] string Title,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] DateOnly? ExpectedClose,
    [property: Id(4)] string? PipelineId,
    [property: Id(5)] string? StageKey,
    [property: Id(6)] int? Probability,
    [property: Id(7)] IReadOnlyList<DealLine> Lines,
    [property: Id(8)] string? RepId,
    [property: Id(9)] Dictionary<string, CustomFields.CustomValue>? CustomFields = null);
