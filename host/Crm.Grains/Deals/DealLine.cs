namespace Crm.Grains.Deals;

/// <summary>A line of a deal, its total already rounded to the deal's currency.</summary>
[GenerateSerializer, Immutable]
public sealed record DealLine(
    [property: Id(0)] string? ProductId,
    [property: Id(1)] string Name,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal UnitPrice,
    [property: Id(4)] decimal Discount,
    [property: Id(5)] decimal Total);
