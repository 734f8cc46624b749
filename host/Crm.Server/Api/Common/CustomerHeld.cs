using Crm.Grains.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;

namespace Crm.Server.Api.Common;

/// <summary>
/// Deals and contracts live on a customer, and a caller reaches one exactly when it sees that customer
/// (docs/permissions.md). Commands ask what the reads ask, before they reach the grain, so that a deal or contract out
/// of the caller's reach answers what an unknown id answers: 404 naming the deal or contract, never its customer.
/// </summary>
public static class CustomerHeld
{
    /// <summary>The customer holding a deal or contract, when there is one and the caller sees it; null otherwise (answer 404 for the record).</summary>
    public static async Task<Guid?> VisibleHolderAsync(Guid? customerId, HttpContext http, CustomerQueries customers) =>
        customerId is { } id && await customers.IsVisibleAsync(id, http.User.ToVisibility()) ? id : null;

    /// <summary>
    /// The grain's own reach check refuses with the customer's 404; should it disagree with the read model (a customer
    /// moved a moment ago), the answer still names the record asked for, not the customer.
    /// </summary>
    public static Result<T> AsRecordNotFound<T>(this Result<T> result, Guid customerId, string what, string id) =>
        result.Error is { Status: 404 } error && error.Details?.GetValueOrDefault("id") == customerId.ToString()
            ? CrmError.NotFound(what, id)
            : result;
}
