namespace Crm.Grains.Projections;

/// <summary>One row of the <c>customers</c> read-model table: what lists, search and reports read.</summary>
public sealed record CustomerRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Company { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? TaxId { get; init; }
    public string? Address { get; init; }
    public string? Source { get; init; }
    public required string Stage { get; init; }
    public required string PoolId { get; init; }
    public string? OwnerId { get; init; }
    public string? OrgUnitId { get; init; }
    public long CreatedMs { get; init; }
    public long UpdatedMs { get; init; }
    public long? LastFollowUpMs { get; init; }
    /// <summary>nurturing, success, failure or invalid: kept in the <c>customer_status_pools</c> side table.</summary>
    public string StatusPool { get; init; } = "nurturing";
    public long Version { get; init; }

    /// <summary>Lower-cased name, company, e-mail and phone (as typed and as digits): what <c>query=</c> matches.</summary>
    public string Search => string.Join(' ',
        new[] { Name, Company, Email, Phone, PhoneDigits }.Where(s => !string.IsNullOrEmpty(s))).ToLowerInvariant();

    public string? PhoneDigits => Phone is null ? null : new string(Phone.Where(char.IsAsciiDigit).ToArray());
}
