using Crm.Client;
using Crm.Grains.Deals;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Deals;

/// <summary>The reasons a deal may be lost for: everyone reads the list, admins replace it.</summary>
public static class LoseReasonsApi
{
    public static IEndpointRouteBuilder MapLoseReasonsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deal-lose-reasons").WithTags("Deals").RequireAuthorization();
        api.MapGet("/", List);
        api.MapPut("/", Replace).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<LoseReasonDto>>> List(DealCatalog catalog) =>
        TypedResults.Ok<IReadOnlyList<LoseReasonDto>>((await catalog.GetAsync()).LoseReasons.Select(CatalogMappings.ToDto).ToList());

    /// <summary>
    /// Replaces the list. A reason left out is kept as inactive (old deals still name it); a new deal may only be lost for an active one.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<LoseReasonDto>>, ValidationProblem>> Replace(
        LoseReasonsRequest request, CatalogStore store, DealCatalog catalog)
    {
        var reasons = request.Reasons ?? [];
        var validation = new Validation().Check(reasons.Count is > 0 and <= CatalogValidation.MaxReasons, "reasons",
            $"Give 1 to {CatalogValidation.MaxReasons} reasons.");
        for (var i = 0; i < Math.Min(reasons.Count, CatalogValidation.MaxReasons); i++)
        {
            validation.Check(reasons[i] is not null && CatalogValidation.IsKey(reasons[i].Key), $"reasons[{i}].key",
                "A key is 1-40 characters: lower-case letters, digits and '-'.").Names(reasons[i]?.Names, $"reasons[{i}].names");
        }

        var keys = reasons.Where(r => r?.Key is not null).Select(r => r.Key).ToList();
        validation.Check(keys.Distinct(StringComparer.Ordinal).Count() == keys.Count, "reasons", "Reason keys must be unique.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var given = reasons.Select(r => new LoseReason(r.Key, CatalogMappings.ToGrains(r.Names), r.Active)).ToList();
        var retired = (await catalog.GetAsync()).LoseReasons.Where(old => !keys.Contains(old.Key)).Select(old => old with { Active = false });
        var list = given.Concat(retired).ToList();
        await store.SaveLoseReasonsAsync(list);
        return TypedResults.Ok<IReadOnlyList<LoseReasonDto>>(list.Select(CatalogMappings.ToDto).ToList());
    }
}
