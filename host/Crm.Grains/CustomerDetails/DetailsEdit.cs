using Crm.Grains.Common;
using Crm.Grains.Customers;

namespace Crm.Grains.CustomerDetails;

/// <summary>
/// An edit of a customer's contact details and traits: a null field is left as it is, an empty one is cleared (the name
/// cannot be). The values come normalised and validated by the API, as a new customer's do.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DetailsEdit(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Company = null,
    [property: Id(2)] string? Phone = null,
    [property: Id(3)] string? Email = null,
    [property: Id(4)] string? TaxId = null,
    [property: Id(5)] string? Address = null,
    [property: Id(6)] string? Source = null,
    [property: Id(7)] string? Industry = null,
    [property: Id(8)] string? Region = null,
    [property: Id(9)] string? Language = null)
{
    /// <summary>The profile after the edit.</summary>
    public CustomerProfile Apply(CustomerProfile p) => new(
        Name is null ? p.Name : Name.Trim(),
        Pick(p.Company, Company), Pick(p.Phone, Phone), Pick(p.Email, Email), Pick(p.TaxId, TaxId), Pick(p.Address, Address), Pick(p.Source, Source));

    /// <summary>The traits after the edit.</summary>
    public LeadTraits Apply(LeadTraits t) => new(Pick(t.Industry, Industry), Pick(t.Region, Region), Pick(t.Language, Language));

    /// <summary>The fields an edit may change, by their API names, in the order the timeline lists them.</summary>
    public static readonly IReadOnlyList<string> Fields = ["name", "company", "phone", "email", "taxId", "address", "source", "industry", "region", "language"];

    /// <summary>A field's value (<see cref="Fields"/>) in a profile and traits.</summary>
    public static string? ValueOf(string field, CustomerProfile p, LeadTraits t) => field switch
    {
        "name" => p.Name,
        "company" => p.Company,
        "phone" => p.Phone,
        "email" => p.Email,
        "taxId" => p.TaxId,
        "address" => p.Address,
        "source" => p.Source,
        "industry" => t.Industry,
        "region" => t.Region,
        "language" => t.Language,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a detail field."),
    };

    /// <summary>The names of the fields whose value the edit changes (the timeline's and the answer's "what changed").</summary>
    public static IReadOnlyList<string> Changed(CustomerProfile before, LeadTraits traitsBefore, CustomerProfile after, LeadTraits traitsAfter) =>
        Fields.Where(f => !string.Equals(ValueOf(f, before, traitsBefore), ValueOf(f, after, traitsAfter), StringComparison.Ordinal)).ToList();

    private static string? Pick(string? current, string? edited) => edited is null ? current : TextInput.TrimOrNull(edited);
}
