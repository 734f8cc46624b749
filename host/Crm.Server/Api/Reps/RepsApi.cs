using Crm.Client;
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
        api.MapGet("/{id}/customers", PrivatePool);
        return app;
    }

    /// <summary>A rep's private pool: a rep sees its own, a manager those of the reps in its subtree, an admin any.</summary>
    private static async Task<Results<Ok<Page<CustomerDto>>, ValidationProblem, ProblemHttpResult>> PrivatePool(
        string id, int? page, int? pageSize, HttpContext http, CustomerQueries customers, UserDirectory users)
    {
        var validation = new Validation().CheckPaging(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (!await users.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Rep", id);
        }

        return TypedResults.Ok(await customers.SearchAsync(new CustomerFilter { OwnerId = id }, visibility, page, pageSize));
    }
}
