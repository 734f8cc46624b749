namespace Crm.Grains.Deals;

/// <summary>A name in Chinese, English and Russian (the languages the teams work in); at least one is set.</summary>
[GenerateSerializer, Immutable]
public sealed record LocalizedText([property: Id(0)] string? Zh, [property: Id(1)] string? En, [property: Id(2)] string? Ru);
