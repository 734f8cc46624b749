using Crm.Client;
using Crm.Grains.Dedup;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Pools;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Dedup;

/// <summary>Duplicate checks, batch import and merges of customers (routes under <c>/api/customers</c>).</summary>
public static class DedupApi
{
    public static IEndpointRouteBuilder MapDedupApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/customers").WithTags("Dedup").RequireAuthorization();
        api.MapPost("/check", Check);
        return app;
    }

    /// <summary>Would this lead be a duplicate in its pool, of whom, and what would the pool's rule do? Creates nothing.</summary>
    private static async Task<Results<Ok<DedupCheckResponse>, ValidationProblem, ProblemHttpResult>> Check(
        CreateCustomerRequest request, HttpContext http, IGrainFactory grains, DedupGate dedup, UserDirectory users, PoolQueries pools)
    {
        var validation = CustomersApi.ValidateProfile(request);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // A pool outside the caller's part of the org tree does not exist as far as the caller knows.
        if (!await pools.IsVisibleAsync(request.PoolId!, http.User.ToVisibility()) || await grains.GetGrain<IPoolGrain>(request.PoolId!).Get() is not { } pool)
        {
            return ApiResults.NotFound("Pool", request.PoolId!);
        }

        var rule = pool.Rules.Dedup ?? new DedupRule(dedup.IndexStrategies, "allow");
        var decision = await dedup.CheckAsync(CustomerCard.From(Guid.NewGuid(), request), rule);
        var matches = await DedupResults.DescribeAsync(decision.Matches, grains, users);
        return TypedResults.Ok(new DedupCheckResponse(matches.Count > 0, decision.Action, matches));
    }
}
