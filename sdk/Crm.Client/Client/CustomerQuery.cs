namespace Crm.Client;

/// <summary>Filters of <c>GET /api/customers</c>; null fields do not filter. Pages start at 1.</summary>
public sealed record CustomerQuery(
    string? Query = null,
    string? PoolId = null,
    string? OwnerId = null,
    Stage? Stage = null,
    int Page = 1,
    int PageSize = 50);
