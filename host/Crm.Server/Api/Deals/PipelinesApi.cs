using Crm.Client;
using Crm.Grains.Deals;
using Crm.Grains.Org;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Deals;

/// <summary>
/// Sales pipelines: admins define them company-wide or for a unit; everyone reads the company-wide ones and those of
/// the units above and below its own (a deal of a customer uses a pipeline of the customer's unit or above).
/// </summary>
public static class PipelinesApi
{
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pipelines").WithTags("Deals").RequireAuthorization();
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        api.MapPut("/{id}", Update).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PipelineDto>>> List(HttpContext http, DealCatalog catalog, OrgTreeCache tree)
    {
        var visible = new List<PipelineDto>();
        foreach (var pipeline in (await catalog.GetAsync()).Pipelines)
        {
            if (await SeesAsync(http, pipeline, tree))
            {
                visible.Add(CatalogMappings.ToDto(pipeline));
            }
        }

        return TypedResults.Ok<IReadOnlyList<PipelineDto>>(visible);
    }

    private static async Task<Results<Ok<PipelineDto>, ProblemHttpResult>> Get(string id, HttpContext http, DealCatalog catalog, OrgTreeCache tree) =>
        await catalog.PipelineAsync(id) is { } pipeline && await SeesAsync(http, pipeline, tree)
            ? TypedResults.Ok(CatalogMappings.ToDto(pipeline))
            : ApiResults.NotFound("Pipeline", id);

    private static async Task<Results<Created<PipelineDto>, ValidationProblem, ProblemHttpResult>> Create(
        PipelineRequest request, CatalogStore store, OrgUnitDirectory units)
    {
        if (await ValidateAsync(request, units) is { IsValid: false } invalid)
        {
            return invalid.ToProblem();
        }

        var pipeline = await store.SavePipelineAsync("p-" + Guid.NewGuid().ToString("N")[..12], request, null);
        return TypedResults.Created($"/api/pipelines/{pipeline.Id}", CatalogMappings.ToDto(pipeline));
    }

    /// <summary>Replaces name, unit, default flag and stages. Open deals at a stage that is gone keep it until they move.</summary>
    private static async Task<Results<Ok<PipelineDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, PipelineRequest request, CatalogStore store, DealCatalog catalog, OrgUnitDirectory units)
    {
        if (await catalog.PipelineAsync(id) is not { } existing)
        {
            return ApiResults.NotFound("Pipeline", id);
        }

        if (await ValidateAsync(request, units) is { IsValid: false } invalid)
        {
            return invalid.ToProblem();
        }

        if (id == Pipeline.DefaultId && (request.OrgUnitId is not null || request.IsDefault == false))
        {
            return new Validation().Check(false, "isDefault", "The company's default pipeline stays company-wide and the default.").ToProblem();
        }

        return TypedResults.Ok(CatalogMappings.ToDto(await store.SavePipelineAsync(id, request, existing)));
    }

    private static async Task<Validation> ValidateAsync(PipelineRequest request, OrgUnitDirectory units)
    {
        var validation = CatalogValidation.Pipeline(request);
        if (validation.IsValid && request.OrgUnitId is { } unit && await units.GetAsync(unit) is null)
        {
            validation.Check(false, "orgUnitId", $"Org unit '{unit}' does not exist.");
        }

        return validation;
    }

    private static async Task<bool> SeesAsync(HttpContext http, Pipeline pipeline, OrgTreeCache tree)
    {
        var visibility = http.User.ToVisibility();
        if (visibility.SeesAll || pipeline.OrgUnitId is null)
        {
            return true;
        }

        var path = await tree.PathOf(pipeline.OrgUnitId);
        return OrgPaths.Reaches(visibility.UnitPath, path) || OrgPaths.Reaches(path, visibility.UnitPath);
    }
}
