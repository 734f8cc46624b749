using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Reps;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Reps;

public static class RepsApi
{
    public static IEndpointRouteBuilder MapRepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reps").WithTags("Reps").RequireAuthorization();
        api.MapGet("/{id}/customers", PrivatePool).Produces<Page<CustomerDto>>();
        api.MapGet("/{id}/due", Due);
        return app;
    }

    /// <summary>What will drop from a rep's private pool within the next <c>days</c> days (default 7), soonest first.</summary>
    private static async Task<Results<Ok<IReadOnlyList<DueCustomerDto>>, ValidationProblem, ProblemHttpResult>> Due(
        string id, double? days, HttpContext http, IGrainFactory grains, CustomerQueries customers, UserDirectory users, TimeProvider clock)
    {
        var validation = new Validation().Check(days is null or >= 0 and <= 3650, "days", "'days' must be between 0 and 3650.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (!await users.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Rep", id);
        }

        var now = clock.GetUtcNow();
        var due = await grains.GetGrain<IRepGrain>(id).GetDue(days ?? 7);
        // A manager is shown what it sees, as by GET /api/reps/{id}/customers: not its rep's customers of a pool above its
        // unit. The rep itself and an admin see every one (the rep's list does not wait for the read model).
        var names = await customers.NamesAsync(due.Select(d => d.CustomerId).ToList(), visibility);
        var whole = visibility.SeesAll || id == visibility.UserId;
        IReadOnlyList<DueCustomerDto> list = due.Where(d => whole || names.ContainsKey(d.CustomerId)).Select(d => new DueCustomerDto(d.CustomerId,
            names.GetValueOrDefault(d.CustomerId), d.PoolId, d.DropsAt, d.Reason, Math.Round((d.DropsAt - now).TotalDays, 2), d.WarningsSent)).ToList();
        return TypedResults.Ok(list);
    }

    /// <summary>
    /// A rep's private pool: a rep sees its own (from this silo's page cache, <see cref="PrivatePoolPages"/>), a manager
    /// those of the reps in its subtree, an admin any (from the read model, through their visibility).
    /// </summary>
    private static async Task<Results<Ok<Page<CustomerDto>>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> PrivatePool(
        string id, int? page, int? pageSize, string? after, HttpContext http, CustomerQueries customers, UserDirectory users, PrivatePoolPages pages)
    {
        var validation = new Validation().CheckPaging(page, pageSize).CheckCursor(page, after, out var cursor);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (visibility.Role == UserRole.Rep)
        {
            // A rep sees itself only: no query needed to tell.
            return id == visibility.UserId
                ? TypedResults.Bytes(await pages.GetAsync(id, page ?? 1, pageSize ?? Paging.DefaultPageSize, cursor, visibility), "application/json; charset=utf-8")
                : ApiResults.NotFound("Rep", id);
        }

        if (!await users.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Rep", id);
        }

        return TypedResults.Ok(await customers.SearchAsync(new CustomerFilter { OwnerId = id }, visibility, page, pageSize, cursor));
    }
}
