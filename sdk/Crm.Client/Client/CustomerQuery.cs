namespace Crm.Client;

/// <summary>
/// Filters of <c>GET /api/customers</c>; null fields do not filter. Pages start at 1; <see cref="After"/> (a page's
/// <c>NextAfter</c>) asks for the page after that one's last item instead of a page number.
/// </summary>
public sealed record CustomerQuery(
    string? Query = null,
    string? PoolId = null,
    string? OwnerId = null,
    Stage? Stage = null,
    int Page = 1,
    int PageSize = 50,
    string? After = null);
