using Crm.Client;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Regions;

/// <summary>Regions: which org unit works the customers of which addresses (admins write, everyone reads its part).</summary>
public static class RegionsApi
{
    public static IEndpointRouteBuilder MapRegionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/regions").WithTags("Regions").RequireAuthorization();
        api.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPut("/{id}", Update).RequireAuthorization(Policies.Admin);
        api.MapDelete("/{id}", Delete).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Results<Created<RegionDto>, ValidationProblem, ProblemHttpResult>> Create(
        RegionRequest request, HttpContext http, RegionDirectory regions, OrgUnitDirectory units, IGrainFactory grains, AuditLog audit)
    {
        var validation = await ValidateAsync(request, units, grains);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var region = await regions.SaveAsync(Guid.NewGuid().ToString("N")[..12], request);
        await AuditAsync(audit, http, AuditLog.Actions.RegionChanged, region);
        return TypedResults.Created($"/api/regions/{region.Id}", region);
    }

    private static async Task<Ok<IReadOnlyList<RegionDto>>> List(HttpContext http, RegionDirectory regions) =>
        TypedResults.Ok(await regions.ListAsync(http.User.ToVisibility()));

    private static async Task<Results<Ok<RegionDto>, ProblemHttpResult>> Get(string id, HttpContext http, RegionDirectory regions) =>
        await regions.GetAsync(id, http.User.ToVisibility()) is { } region ? TypedResults.Ok(region) : ApiResults.NotFound("Region", id);

    private static async Task<Results<Ok<RegionDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, RegionRequest request, HttpContext http, RegionDirectory regions, OrgUnitDirectory units, IGrainFactory grains, AuditLog audit)
    {
        if (await regions.GetAsync(id, http.User.ToVisibility()) is null)
        {
            return ApiResults.NotFound("Region", id);
        }

        var validation = await ValidateAsync(request, units, grains);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var region = await regions.SaveAsync(id, request);
        await AuditAsync(audit, http, AuditLog.Actions.RegionChanged, region);
        return TypedResults.Ok(region);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, HttpContext http, RegionDirectory regions, AuditLog audit)
    {
        if (!await regions.DeleteAsync(id))
        {
            return ApiResults.NotFound("Region", id);
        }

        await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.RegionDeleted, "region", id, []);
        return TypedResults.NoContent();
    }

    private static async Task<Validation> ValidateAsync(RegionRequest request, OrgUnitDirectory units, IGrainFactory grains)
    {
        var validation = new Validation()
            .Require(request.Name, "name", 100)
            .Require(request.OrgUnitId, "orgUnitId", 64)
            .Require(request.PoolId, "poolId", 64)
            .MaxLength(request.Province, "province", 100)
            .MaxLength(request.City, "city", 100)
            .MaxLength(request.District, "district", 100)
            .MaxLength(request.PostcodePrefix, "postcodePrefix", 10)
            .Check(new[] { request.Province, request.City, request.District, request.PostcodePrefix }.Any(c => !string.IsNullOrWhiteSpace(c)),
                "province", "Give at least one of province, city, district or postcodePrefix.")
            .Check(string.IsNullOrWhiteSpace(request.PostcodePrefix) || request.PostcodePrefix.Trim().All(char.IsAsciiDigit),
                "postcodePrefix", "A postcode prefix is digits only.");
        if (!validation.IsValid)
        {
            return validation;
        }

        var unit = await units.GetAsync(request.OrgUnitId!);
        validation.Check(unit is not null, "orgUnitId", $"Org unit '{request.OrgUnitId}' does not exist.");
        var pool = await grains.GetGrain<IPoolGrain>(request.PoolId!).Get();
        validation.Check(pool is not null, "poolId", $"Pool '{request.PoolId}' does not exist.");
        if (unit is not null && pool is not null)
        {
            var poolUnit = await units.GetAsync(pool.OrgUnitId);
            validation.Check(OrgPaths.Reaches(unit.Path, poolUnit?.Path), "poolId", "The region's pool must belong to the region's unit or a unit below it.");
        }

        return validation;
    }

    private static Task AuditAsync(AuditLog audit, HttpContext http, string action, RegionDto region) =>
        audit.WriteAsync(http.User.ToActor().UserId, action, "region", region.Id, new()
        {
            ["orgUnitId"] = region.OrgUnitId,
            ["poolId"] = region.PoolId,
            ["province"] = region.Province,
            ["city"] = region.City,
            ["district"] = region.District,
            ["postcodePrefix"] = region.PostcodePrefix,
        });
}
