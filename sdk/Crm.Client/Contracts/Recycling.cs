namespace Crm.Client;

/// <summary>A customer of a rep's private pool that will drop back into its public pool, and when and why.</summary>
public sealed record DueCustomerDto(
    Guid CustomerId,
    string? Name,
    string PoolId,
    DateTimeOffset DropsAt,
    string Reason,
    double DaysLeft,
    IReadOnlyList<int> WarningsSent);
