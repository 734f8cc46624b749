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
    string? Source);
