using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Plugins;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Pools;

public static class PoolsApi
{
    public static IEndpointRouteBuilder MapPoolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pools").WithTags("Pools").RequireAuthorization();
        api.MapPost("/", Create).RequireAuthorization(Policies.ManagerOrAdmin);
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPut("/{id}/rules", UpdateRules).RequireAuthorization(Policies.ManagerOrAdmin).WithMetadata(new InputBoundsPrefix("rules"));
        api.MapGet("/{id}/customers", Customers);
        api.MapGet("/{id}/collusion", Collusion).RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Created<PoolDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreatePoolRequest request, HttpContext http, IGrainFactory grains, OrgUnitDirectory units, IStrategyCatalog strategies)
    {
        var rules = request.Rules ?? new PoolRules();
        var validation = new Validation()
            .Require(request.Name, "name", 100)
            .Require(request.OrgUnitId, "orgUnitId", 64)
            .Merge(PoolRulesValidator.Validate(rules))
            .Merge(AssignmentRuleValidator.Validate(rules.Assignment, strategies));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await units.GetAsync(request.OrgUnitId!) is not { } unit || !http.User.ToVisibility().Reaches(unit.Path))
        {
            return new Validation().Check(false, "orgUnitId", $"Org unit '{request.OrgUnitId}' does not exist.").ToProblem();
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        var created = await grains.GetGrain<IPoolGrain>(id).Create(request.Name!.Trim(), request.OrgUnitId!, rules.ToRuleSet());
        if (created.Ok && rules.Assignment is not null)
        {
            await grains.GetGrain<IAssignmentGrain>(id).RulesChanged();
        }

        return ApiResults.CreatedOrProblem(created.Map(PoolWireMapping.ToWire), pool => $"/api/pools/{pool.Id}");
    }

    private static async Task<Ok<IReadOnlyList<PoolDto>>> List(HttpContext http, PoolQueries pools) =>
        TypedResults.Ok(await pools.ListAsync(http.User.ToVisibility()));

    private static async Task<Results<Ok<PoolDto>, ProblemHttpResult>> Get(string id, HttpContext http, IGrainFactory grains, PoolQueries pools) =>
        await pools.IsVisibleAsync(id, http.User.ToVisibility()) && await grains.GetGrain<IPoolGrain>(id).Get() is { } pool
            ? TypedResults.Ok(pool.ToWire())
            : ApiResults.NotFound("Pool", id);

    private static async Task<Results<Ok<PoolDto>, ValidationProblem, ProblemHttpResult>> UpdateRules(
        string id, PoolRules rules, HttpContext http, IGrainFactory grains, PoolQueries pools, IStrategyCatalog strategies)
    {
        if (!await pools.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Pool", id);
        }

        var validation = new Validation()
            .Merge(PoolRulesValidator.Validate(rules))
            .Merge(AssignmentRuleValidator.Validate(rules.Assignment, strategies));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var updated = await grains.GetGrain<IPoolGrain>(id).UpdateRules(rules.ToRuleSet());
        if (updated.Ok)
        {
            await grains.GetGrain<IAssignmentGrain>(id).RulesChanged();
        }

        return ApiResults.OkOrProblem(updated.Map(PoolWireMapping.ToWire));
    }

    /// <summary>Suspected collusion between reps in this pool, newest first, with the events behind each case.</summary>
    private static async Task<Results<Ok<IReadOnlyList<CollusionCaseDto>>, ProblemHttpResult>> Collusion(
        string id, HttpContext http, IGrainFactory grains, PoolQueries pools)
    {
        var pool = grains.GetGrain<IPoolGrain>(id);
        if (!await pools.IsVisibleAsync(id, http.User.ToVisibility()) || await pool.Get() is null)
        {
            return ApiResults.NotFound("Pool", id);
        }

        return TypedResults.Ok<IReadOnlyList<CollusionCaseDto>>((await pool.GetCollusionCases()).Select(c => c.ToWire()).ToList());
    }

    private static async Task<Results<Ok<Page<CustomerDto>>, ValidationProblem, ProblemHttpResult>> Customers(
        string id, int? page, int? pageSize, HttpContext http, PoolQueries pools, CustomerQueries customers)
    {
        var validation = new Validation().CheckPaging(page, pageSize);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visibility = http.User.ToVisibility();
        if (!await pools.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Pool", id);
        }

        return TypedResults.Ok(await customers.SearchAsync(new CustomerFilter { PoolId = id, UnownedOnly = true }, visibility, page, pageSize));
    }
}
