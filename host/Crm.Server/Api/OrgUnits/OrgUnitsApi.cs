using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.OrgUnits;

public static class OrgUnitsApi
{
    public static IEndpointRouteBuilder MapOrgUnitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/org-units").WithTags("Org units").RequireAuthorization();
        api.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        api.MapGet("/", Tree);
        return app;
    }

    private static async Task<Results<Created<OrgUnitDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateOrgUnitRequest request, OrgUnitDirectory units)
    {
        var validation = new Validation().Require(request.Name, "name", 100);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var created = await units.CreateAsync(request.Name, string.IsNullOrWhiteSpace(request.ParentId) ? null : request.ParentId);
        return ApiResults.CreatedOrProblem(created, unit => $"/api/org-units/{unit.Id}");
    }

    private static async Task<Ok<IReadOnlyList<OrgUnitDto>>> Tree(OrgUnitDirectory units) =>
        TypedResults.Ok(OrgUnitDirectory.ToTree(await units.ListAsync()));
}
