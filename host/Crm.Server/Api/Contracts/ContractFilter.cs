namespace Crm.Server.Api.Contracts;

/// <summary>What <c>GET /api/contracts</c> narrows the list by; dates are UTC instants in milliseconds.</summary>
public sealed record ContractFilter(string? RepId = null, string? CustomerId = null, string? DealId = null, long? SignedFromMs = null, long? SignedBeforeMs = null);

/// <summary>
/// What <c>GET /api/receivables</c> narrows the list by: only overdue instalments, the caller's own contracts (<c>mine</c>)
/// or a unit's subtree, a rep, a customer, a due date bound (yyyy-MM-dd, inclusive).
/// </summary>
/// <param name="Overdue">True: only the instalments overdue now; false: only those not overdue yet; null: both.</param>
public sealed record ReceivableFilter(bool? Overdue = null, string? ScopeUnitId = null, string? RepId = null, string? CustomerId = null, string? DueUntil = null);
