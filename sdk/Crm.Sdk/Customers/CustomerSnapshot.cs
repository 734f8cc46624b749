namespace Crm.Sdk;

/// <summary>
/// A read-only copy of a customer (or a new lead) as a strategy sees it. Text fields are as entered; normalise them
/// in the strategy. Fields the host does not know are null; <see cref="Fields"/> carries any extra attributes.
/// </summary>
public sealed record CustomerSnapshot
{
    /// <summary>The customer id (a GUID string). For a lead not yet stored, the id it will get.</summary>
    public required string Id { get; init; }

    /// <summary>The contact's or company's display name.</summary>
    public required string Name { get; init; }

    /// <summary>The company name, if any.</summary>
    public string? Company { get; init; }

    /// <summary>The phone number as entered.</summary>
    public string? Phone { get; init; }

    /// <summary>The e-mail address as entered.</summary>
    public string? Email { get; init; }

    /// <summary>The tax id or business licence number, as entered.</summary>
    public string? TaxId { get; init; }

    /// <summary>The postal address, as entered.</summary>
    public string? Address { get; init; }

    /// <summary>Where the lead came from (an import, a web form, a trade fair).</summary>
    public string? Source { get; init; }

    /// <summary>The public pool the customer belongs to.</summary>
    public string? PoolId { get; init; }

    /// <summary>The rep who owns the customer, or null when it sits in the public pool.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The customer's industry, when known (used for matching on rep profiles).</summary>
    public string? Industry { get; init; }

    /// <summary>The customer's region, when known.</summary>
    public string? Region { get; init; }

    /// <summary>The customer's preferred language, when known (e.g. <c>zh</c>, <c>en</c>).</summary>
    public string? Language { get; init; }

    /// <summary>When the customer was created; null for a lead not yet stored.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Extra attributes by key (custom fields). Never null.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = EmptyFields;

    private static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
}
