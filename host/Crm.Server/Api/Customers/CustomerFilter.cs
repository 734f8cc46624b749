using Crm.Client;

namespace Crm.Server.Api.Customers;

/// <summary>What a customer list asks the read model for. Null fields do not filter.</summary>
public sealed record CustomerFilter
{
    /// <summary>Matches name, company, e-mail and phone (as typed or as digits), case-insensitively.</summary>
    public string? Query { get; init; }
    public string? PoolId { get; init; }
    public string? OwnerId { get; init; }
    public Stage? Stage { get; init; }
    public StatusPool? StatusPool { get; init; }
    /// <summary>Only customers in their public pool (no owner).</summary>
    public bool UnownedOnly { get; init; }
    public string? Level { get; init; }
    /// <summary>Custom field values (<c>?cf.key=value</c>): exact, a multi-choice field matches any of its choices.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];
    /// <summary>The keys of <see cref="Fields"/> that are number fields: their value also matches in its plain form (1500.50 as 1500.5).</summary>
    public IReadOnlySet<string> NumberFields { get; init; } = new HashSet<string>();
}
