using Crm.Client;
using Crm.Grains.Deals;
using Crm.Grains.Money;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Deals;

/// <summary>The product catalogue deal lines name: everyone reads it, admins keep it.</summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products").WithTags("Deals").RequireAuthorization();
        api.MapGet("/", List);
        api.MapPost("/", Create).RequireAuthorization(Policies.Admin);
        api.MapPut("/{id}", Update).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ProductDto>>, ValidationProblem>> List(bool? active, string? query, CatalogStore store)
    {
        var validation = new Validation().MaxLength(query, "query", 100);
        return validation.IsValid ? TypedResults.Ok(await store.ProductsAsync(active, query)) : validation.ToProblem();
    }

    private static async Task<Results<Created<ProductDto>, ValidationProblem, ProblemHttpResult>> Create(
        ProductRequest request, CatalogStore store, DealCatalog catalog)
    {
        if (await ValidateAsync(request, catalog) is { IsValid: false } invalid)
        {
            return invalid.ToProblem();
        }

        return await store.SaveProductAsync("pr-" + Guid.NewGuid().ToString("N")[..12], request, null) is { } product
            ? TypedResults.Created($"/api/products/{product.Id}", product)
            : SkuTaken(request.Sku!);
    }

    private static async Task<Results<Ok<ProductDto>, ValidationProblem, ProblemHttpResult>> Update(
        string id, ProductRequest request, CatalogStore store, DealCatalog catalog)
    {
        if ((await store.ProductsByIdAsync([id])).GetValueOrDefault(id) is not { } existing)
        {
            return ApiResults.NotFound("Product", id);
        }

        if (await ValidateAsync(request, catalog) is { IsValid: false } invalid)
        {
            return invalid.ToProblem();
        }

        return await store.SaveProductAsync(id, request, existing) is { } product ? TypedResults.Ok(product) : SkuTaken(request.Sku!);
    }

    private static ProblemHttpResult SkuTaken(string sku) =>
        ApiResults.Problem(new(ErrorCodes.ProductExists, $"Another product has SKU '{sku.Trim()}'.", 409, new() { ["sku"] = sku.Trim() }));

    private static async Task<Validation> ValidateAsync(ProductRequest request, DealCatalog catalog)
    {
        var minorUnits = request.Currency is null ? null : await catalog.MinorUnitsAsync(request.Currency);
        return new Validation()
            .Require(request.Name, "name", 200)
            .Require(request.Sku, "sku", 64)
            .MaxLength(request.Unit, "unit", 32)
            .Require(request.ListPrice, "listPrice")
            .Check(request.ListPrice is null or >= 0 and <= Amounts.Max, "listPrice", $"A list price is between 0 and {Amounts.Max}.")
            .Check(minorUnits is not null, "currency", $"'{request.Currency}' is not a currency the server knows (ISO 4217).")
            .Check(request.ListPrice is null || minorUnits is null || Amounts.FitsMinorUnits(request.ListPrice.Value, minorUnits.Value),
                "listPrice", $"{request.Currency} amounts have at most {minorUnits} decimals.");
    }
}
