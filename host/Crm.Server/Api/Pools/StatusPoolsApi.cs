using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Pools;

/// <summary>Status pools (nurturing, success, failure, invalid): how many customers sit in each, per pool and rep.</summary>
public static class StatusPoolsApi
{
    public static IEndpointRouteBuilder MapStatusPoolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/status-pools").WithTags("Status pools").RequireAuthorization();
        api.MapGet("/counts", Counts);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<StatusPoolCountDto>>, ValidationProblem>> Counts(
        string? poolId, string? ownerId, HttpContext http, StatusPoolQueries queries)
    {
        var validation = new Validation().MaxLength(poolId, "poolId", 64).MaxLength(ownerId, "ownerId", 64);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return TypedResults.Ok(await queries.CountsAsync(poolId, ownerId, http.User.ToVisibility()));
    }
}
