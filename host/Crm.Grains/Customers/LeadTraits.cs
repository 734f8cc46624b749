namespace Crm.Grains.Customers;

/// <summary>What assignment matches against rep profiles: the lead's industry, region and preferred language.</summary>
[GenerateSerializer, Immutable]
public sealed record LeadTraits(string? Industry, string? Region, string? Language)
{
    public static LeadTraits None { get; } = new(null, null, null);
}
