using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers;
using Crm.Grains.Dedup.Pending;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Deals;
using Crm.Server.Api.Dedup;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.CustomFields;

/// <summary>
/// Custom fields of customer and deal cards: everyone reads the definitions, admins keep them; the owner or a manager
/// sets a card's values (commands to the customer's grain, whose log holds them).
/// </summary>
public static class CustomFieldsApi
{
    /// <summary>The definitions' routes, a deal's values, and a customer's values on the shared <c>/api/customers</c> group.</summary>
    public static IEndpointRouteBuilder MapCustomFieldsApi(this IEndpointRouteBuilder app, RouteGroupBuilder customers)
    {
        var api = app.MapGroup("/api/custom-fields").WithTags("Custom fields").RequireAuthorization();
        api.MapGet("/", List);
        api.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        api.MapGet("/{entity}/{key}", Get);
        api.MapPut("/{entity}/{key}", Update).RequireAuthorization(Policies.Admin);
        api.MapDelete("/{entity}/{key}", Delete).RequireAuthorization(Policies.Admin);
        customers.MapPut("/{id:guid}/custom-fields", SetOnCustomer).WithTags("Custom fields");
        app.MapPut("/api/deals/{id}/custom-fields", SetOnDeal).WithTags("Custom fields").RequireAuthorization();
        return app;
    }

    private static readonly string[] CustomerStages = ["lead", "opportunity", "customer", "lost", "invalid"];

    private static async Task<Results<Ok<IReadOnlyList<CustomFieldDto>>, ValidationProblem>> List(string? entity, CustomFieldCatalog catalog)
    {
        if (entity is not null && !CustomFieldNames.Entities.ContainsKey(entity))
        {
            return new Validation().Check(false, "entity", "Must be one of: customer, deal.").ToProblem();
        }

        var fields = await catalog.AllAsync();
        return TypedResults.Ok<IReadOnlyList<CustomFieldDto>>(fields.Where(f => entity is null || CustomFieldNames.Of(f.Entity) == entity)
            .Select(CustomFieldInput.ToDto).ToList());
    }

    /// <summary>One field's definition (the <c>Location</c> of its creation).</summary>
    private static async Task<Results<Ok<CustomFieldDto>, ProblemHttpResult>> Get(string entity, string key, CustomFieldCatalog catalog) =>
        await FindAsync(catalog, entity, key) is { } field ? TypedResults.Ok(CustomFieldInput.ToDto(field)) : ApiResults.NotFound("Custom field", $"{entity}/{key}");

    private static async Task<Results<Created<CustomFieldDto>, ValidationProblem, ProblemHttpResult>> Create(
        CustomFieldRequest request, CustomFieldCatalog catalog, CustomFieldStore store, TimeProvider clock)
    {
        var all = await catalog.AllAsync();
        var entity = request.Entity is not null && CustomFieldNames.Entities.TryGetValue(request.Entity, out var e) ? e : (CustomFieldEntity?)null;
        var validation = CustomFieldInput.Definition(request, null, all.Count(f => f.Entity == entity));
        if (StagesChecked(validation, entity, request) is { IsValid: false } invalid)
        {
            return invalid.ToProblem();
        }

        if (all.Any(f => f.Entity == entity && f.Key == request.Key))
        {
            return ApiResults.Problem(CrmError.Conflict(ErrorCodes.CustomFieldExists, $"The {request.Entity} field '{request.Key}' exists already.",
                new() { ["key"] = request.Key! }));
        }

        var now = clock.GetUtcNow();
        var field = new CustomFieldDefinition(entity!.Value, request.Key!, CatalogMappings.ToGrains(request.Label!),
            CustomFieldNames.Types[request.Type!], request.Required ?? false, request.Options ?? [], request.RequiredAtStages ?? [], now, now);
        await store.SaveAsync(field);
        return TypedResults.Created($"/api/custom-fields/{request.Entity}/{field.Key}", CustomFieldInput.ToDto(field));
    }

    private static async Task<Results<Ok<CustomFieldDto>, ValidationProblem, ProblemHttpResult>> Update(
        string entity, string key, CustomFieldRequest request, CustomFieldCatalog catalog, CustomFieldStore store, TimeProvider clock)
    {
        if (await FindAsync(catalog, entity, key) is not { } existing)
        {
            return ApiResults.NotFound("Custom field", $"{entity}/{key}");
        }

        var validation = CustomFieldInput.Definition(request, existing, 0);
        if (StagesChecked(validation, existing.Entity, request) is { IsValid: false } invalid)
        {
            return invalid.ToProblem();
        }

        var field = existing with
        {
            Label = CatalogMappings.ToGrains(request.Label!),
            Required = request.Required ?? existing.Required,
            Options = request.Options ?? existing.Options,
            RequiredAtStages = request.RequiredAtStages ?? existing.RequiredAtStages,
            UpdatedAt = clock.GetUtcNow(),
        };
        await store.SaveAsync(field);
        return TypedResults.Ok(CustomFieldInput.ToDto(field));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string entity, string key, CustomFieldCatalog catalog, CustomFieldStore store) =>
        await FindAsync(catalog, entity, key) is { } existing && await store.DeleteAsync(existing.Entity, key)
            ? TypedResults.NoContent()
            : ApiResults.NotFound("Custom field", $"{entity}/{key}");

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> SetOnCustomer(
        Guid id, CustomFieldValuesRequest request, HttpContext http, IGrainFactory grains, CustomFieldCatalog catalog, CardReindex reindex)
    {
        var validation = new Validation().Check(request.CustomFields is { Count: > 0 }, "customFields", "Give the values to set.");
        var values = CustomFieldInput.Values(await catalog.ForAsync(CustomFieldEntity.Customer), request.CustomFields, validation);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var result = await grains.GetGrain<ICustomerFields>(id).SetCustomFields(values, actor);
        if (!result.Ok)
        {
            return ApiResults.OkOrProblem(result.ToDto());
        }

        // A strategy may key on a custom field (a WeChat id): the card is keyed and compared again before the answer.
        return CustomerDetailsApi.WithETag(http, await reindex.AnswerAfterEditAsync(id, "custom-fields", actor, result.ToDto().Value!));
    }

    private static async Task<Results<Ok<DealDto>, ValidationProblem, ProblemHttpResult>> SetOnDeal(
        string id, CustomFieldValuesRequest request, HttpContext http, IGrainFactory grains, CustomFieldCatalog catalog, DealQueries deals, CustomerQueries customers)
    {
        var validation = new Validation().Check(request.CustomFields is { Count: > 0 }, "customFields", "Give the values to set.");
        var values = CustomFieldInput.Values(await catalog.ForAsync(CustomFieldEntity.Deal), request.CustomFields, validation);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // A deal out of the caller's reach answers as an unknown one: the same 404, never its customer's (docs/permissions.md).
        if (await CustomerHeld.VisibleHolderAsync(await deals.CustomerOfAsync(id), http, customers) is not { } customerId)
        {
            return ApiResults.NotFound("Deal", id);
        }

        var set = (await grains.GetGrain<ICustomerFields>(customerId).SetDealCustomFields(id, values, http.User.ToActor()))
            .AsRecordNotFound(customerId, "Deal", id);
        return ApiResults.OkOrProblem(set.Error is { } error ? error : (Result<DealDto>)CatalogMappings.ToDto(customerId, set.Value!));
    }

    /// <summary>A customer field's stages are the customer stages; a deal's are free keys (pipelines differ) or <c>won</c>.</summary>
    private static Validation StagesChecked(Validation validation, CustomFieldEntity? entity, CustomFieldRequest request)
    {
        var stages = request.RequiredAtStages ?? [];
        for (var i = 0; i < Math.Min(stages.Count, CustomFieldRules.MaxStages); i++)
        {
            validation.Check(entity != CustomFieldEntity.Customer || CustomerStages.Contains(stages[i]), $"requiredAtStages[{i}]",
                $"A customer stage is one of: {string.Join(", ", CustomerStages)}.");
        }

        return validation;
    }

    private static async Task<CustomFieldDefinition?> FindAsync(CustomFieldCatalog catalog, string entity, string key) =>
        CustomFieldNames.Entities.TryGetValue(entity, out var e) ? (await catalog.AllAsync()).FirstOrDefault(f => f.Entity == e && f.Key == key) : null;
}
