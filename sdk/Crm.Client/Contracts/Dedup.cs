namespace Crm.Client;

/// <summary>
/// One duplicate found for a lead: the existing customer, its owner, the key that matched (e.g. <c>phone</c>
/// <c>+8613800138000</c>), how sure the match is, and the action the pool's rule takes on it.
/// </summary>
public sealed record DuplicateMatchDto(
    Guid CustomerId,
    string? CustomerName,
    string? OwnerId,
    string? OwnerName,
    string Strategy,
    string KeyKind,
    string KeyValue,
    string Strength,
    double Score,
    string? Reason,
    string Action);

/// <summary>The answer of <c>POST /api/customers/check</c>: would this lead be a duplicate, of whom, and what the pool would do.</summary>
public sealed record DedupCheckResponse(bool Duplicate, string Action, IReadOnlyList<DuplicateMatchDto> Matches);

/// <summary>A manager's merge: <c>duplicateId</c> becomes an alias of the customer in the route, which keeps both histories.</summary>
public sealed record MergeRequest(Guid? DuplicateId, string? Reason = null);
