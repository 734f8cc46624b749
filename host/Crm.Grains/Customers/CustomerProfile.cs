using Crm.Grains.Common;

namespace Crm.Grains.Customers;

/// <summary>Who the customer is: the contact fields reps fill in and dedup reads.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerProfile(
    string Name,
    string? Company,
    string? Phone,
    string? Email,
    string? TaxId,
    string? Address,
    string? Source)
{
    /// <summary>The profile as a new customer's request gives it: trimmed, blanks as null.</summary>
    public static CustomerProfile From(NewCustomer request) => new(
        request.Name?.Trim() ?? "",
        TextInput.TrimOrNull(request.Company),
        TextInput.TrimOrNull(request.Phone),
        TextInput.TrimOrNull(request.Email),
        TextInput.TrimOrNull(request.TaxId),
        TextInput.TrimOrNull(request.Address),
        TextInput.TrimOrNull(request.Source));
}
