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

    /// <summary>The names of the fields whose value the edit changes (the timeline's and the answer's "what changed").</summary>
    public static IReadOnlyList<string> Changed(CustomerProfile before, LeadTraits traitsBefore, CustomerProfile after, LeadTraits traitsAfter)
    {
        var changed = new List<string>();
        Add("name", before.Name, after.Name);
        Add("company", before.Company, after.Company);
        Add("phone", before.Phone, after.Phone);
        Add("email", before.Email, after.Email);
        Add("taxId", before.TaxId, after.TaxId);
        Add("address", before.Address, after.Address);
        Add("source", before.Source, after.Source);
        Add("industry", traitsBefore.Industry, traitsAfter.Industry);
        Add("region", traitsBefore.Region, traitsAfter.Region);
        Add("language", traitsBefore.Language, traitsAfter.Language);
        return changed;

        void Add(string field, string? was, string? now)
        {
            if (!string.Equals(was, now, StringComparison.Ordinal))
            {
                changed.Add(field);
            }
        }
    }

    private static string? Pick(string? current, string? edited) => edited is null ? current : TextInput.TrimOrNull(edited);
}
