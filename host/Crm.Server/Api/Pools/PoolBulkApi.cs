using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Pools;

/// <summary>
/// Managers' bulk actions on pools: move customers to another pool, release them, hand a rep's whole
/// private pool to another rep (or back to the public pools) when the rep leaves. Each customer is one
/// call to its grain, which decides; the answer lists the outcome per customer.
/// </summary>
public static class PoolBulkApi
{
    public const int MaxItems = 1000;

    /// <summary>The bulk moves on the shared <c>/api/customers</c> group, the rep's transfer under <c>/api/reps</c>.</summary>
    public static IEndpointRouteBuilder MapPoolBulkApi(this IEndpointRouteBuilder app, RouteGroupBuilder customers)
    {
        customers.MapPost("/bulk/move", Move).WithTags("Pools").RequireAuthorization(Policies.ManagerOrAdmin);
        customers.MapPost("/bulk/release", Release).WithTags("Pools").RequireAuthorization(Policies.ManagerOrAdmin);
        app.MapPost("/api/reps/{id}/transfer", Transfer).WithTags("Pools").RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Ok<BulkResult>, ValidationProblem>> Move(BulkMoveRequest request, HttpContext http, IGrainFactory grains, PoolQueries pools,
        AuditLog audit)
    {
        var validation = CheckIds(request.CustomerIds).Require(request.ToPoolId, "toPoolId", 64).MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // A pool that does not exist (or is out of reach) is the request's mistake, not each customer's.
        if (!await pools.IsVisibleAsync(request.ToPoolId!, http.User.ToVisibility()))
        {
            return new Validation().Check(false, "toPoolId", $"No pool of yours has the id '{request.ToPoolId}'.").ToProblem();
        }

        var actor = http.User.ToActor();
        var result = await ForEachAsync(request.CustomerIds!, id => grains.GetGrain<ICustomerGrain>(id).MoveToPool(request.ToPoolId!, request.Reason, actor));
        await AuditAsync(audit, actor, AuditLog.Actions.CustomerMoved, result, new() { ["toPoolId"] = request.ToPoolId, ["reason"] = request.Reason });
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<BulkResult>, ValidationProblem>> Release(BulkReleaseRequest request, HttpContext http, IGrainFactory grains,
        AuditLog audit)
    {
        var validation = CheckIds(request.CustomerIds).MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var result = await ForEachAsync(request.CustomerIds!, id => grains.GetGrain<ICustomerGrain>(id).Release(request.Reason, actor));
        await AuditAsync(audit, actor, AuditLog.Actions.CustomerReleased, result, new() { ["reason"] = request.Reason, ["bulk"] = "true" });
        return TypedResults.Ok(result);
    }

    /// <summary>One entry per customer the bulk action changed, as a hand-over writes them.</summary>
    private static async Task AuditAsync(AuditLog audit, Actor actor, string action, BulkResult result, Dictionary<string, string?> details)
    {
        foreach (var item in result.Items.Where(i => i.Ok))
        {
            await audit.WriteAsync(actor.UserId, action, "customer", item.CustomerId.ToString(), details);
        }
    }

    /// <summary>
    /// Hands a rep's whole private pool to another rep, or back to the public pools: the hand-over a departure runs,
    /// without deactivating the rep. The rep stays, so a customer the other rep may not take stays with it (kept).
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<HandoverItem>>, ValidationProblem, ProblemHttpResult>> Transfer(
        string id, TransferPrivatePoolRequest request, HttpContext http, UserDirectory users, RepHandover handover)
    {
        var validation = new Validation().MaxLength(request.ToRepId, "toRepId", 64).MaxLength(request.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (!await users.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Rep", id);
        }

        if (request.ToRepId is { } toRepId
            && (toRepId == id || await users.GetAsync(toRepId) is not { RoleValue: UserRole.Rep, Active: true } || !await users.IsVisibleAsync(toRepId, visibility)))
        {
            return new Validation().Check(false, "toRepId", $"'{toRepId}' is not another active rep of your unit.").ToProblem();
        }

        var reason = request.Reason ?? (request.ToRepId is null ? "the rep's private pool was released" : "the rep's private pool was transferred");
        return TypedResults.Ok(await handover.HandOverAsync(id, null, request.ToRepId, reason, http.User.ToActor(), keepRefused: true));
    }

    private static Validation CheckIds(IReadOnlyList<Guid>? ids) => new Validation()
        .Check(ids is { Count: > 0 }, "customerIds", "Name at least one customer.")
        .Check(ids is null || ids.Count <= MaxItems, "customerIds", $"At most {MaxItems} customers per call.")
        .Check(ids is null || ids.Distinct().Count() == ids.Count, "customerIds", "A customer may appear once.");

    // One customer at a time: a rep's capacity and claim counters stay exact, and the order of results is the order asked.
    private static async Task<BulkResult> ForEachAsync(IReadOnlyList<Guid> ids, Func<Guid, Task<Result<CustomerView>>> act)
    {
        var items = new List<BulkItemResult>(ids.Count);
        foreach (var id in ids)
        {
            var result = await act(id);
            items.Add(result.Error is { } error
                ? new BulkItemResult(id, false, error.Code, error.Message)
                : new BulkItemResult(id, true));
        }

        return new BulkResult(items, items.Count(i => i.Ok), items.Count(i => !i.Ok));
    }
}
