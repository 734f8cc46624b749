using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
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

    /// <summary>A rep's private pool. A rep sees its own; managers and admins see any rep's.</summary>
    private static async Task<Results<Ok<Page<CustomerDto>>, ValidationProblem, ProblemHttpResult>> PrivatePool(
        string id, int? page, int? pageSize, HttpContext http, CustomerQueries customers)
    {
        var validation = new Validation().CheckPaging(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        if (actor.Role == Role.Rep && actor.UserId != id)
        {
            return ApiResults.Problem(new("forbidden", "A rep sees its own private pool only.", 403));
        }

        return TypedResults.Ok(await customers.SearchAsync(new CustomerFilter { OwnerId = id }, page, pageSize));
    }
}
