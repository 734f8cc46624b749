using Crm.Client;
using Crm.Grains.CustomFields;
using Crm.Grains.Deals;
using Crm.Grains.Money;
using Crm.Server.Api.Common;
using Crm.Server.Api.CustomFields;

namespace Crm.Server.Api.Deals;

/// <summary>
/// Checks a new deal's body and resolves it: lines priced from the catalogue where they name a product, each line's
/// total rounded to the currency, the amount the lines' total when not given.
/// </summary>
public static class DealInput
{
    public const int MaxLines = 100;
    public const decimal MaxQuantity = 1_000_000m;

    public static async Task<(NewDeal? Deal, Validation Validation)> ResolveAsync(CreateDealRequest request, DealCatalog catalog, CatalogStore store,
        CustomFieldCatalog fields)
    {
        var minorUnits = request.Currency is null ? null : await catalog.MinorUnitsAsync(request.Currency);
        var lines = request.Lines ?? [];
        var validation = new Validation()
            .Require(request.Title, "title", 200)
            .Check(minorUnits is not null, "currency", $"'{request.Currency}' is not a currency the server knows (ISO 4217).")
            .Require(request.ExpectedCloseDate, "expectedCloseDate")
            .Date(request.ExpectedCloseDate, "expectedCloseDate")
            .MaxLength(request.PipelineId, "pipelineId", 64)
            .MaxLength(request.StageKey, "stageKey", 40)
            .MaxLength(request.RepId, "repId", 64)
            .Check(request.Probability is null or >= 0 and <= 100, "probability", "A probability is between 0 and 100.")
            .Check(request.Amount is not null || lines.Count > 0, "amount", "Give the amount, or lines to add it up from.")
            .Check(request.Amount is null or >= 0 and <= Amounts.Max, "amount", $"An amount is between 0 and {Amounts.Max}.")
            .Check(request.Amount is null || minorUnits is null || Amounts.FitsMinorUnits(request.Amount.Value, minorUnits.Value),
                "amount", $"{request.Currency} amounts have at most {minorUnits} decimals.")
            .Check(lines.Count <= MaxLines, "lines", $"A deal has at most {MaxLines} lines.");
        // Required fields are checked by the grain, which knows the stage the deal starts in.
        var card = CustomFieldInput.Values(await fields.ForAsync(CustomFieldEntity.Deal), request.CustomFields, validation)
            .Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
        if (!validation.IsValid)
        {
            return (null, validation);
        }

        var products = await store.ProductsByIdAsync(lines.Where(l => l?.ProductId is not null).Select(l => l.ProductId!).Distinct().ToList());
        var resolved = new List<DealLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (Line(lines[i], $"lines[{i}]", products, request.Currency!, minorUnits!.Value, validation) is { } line)
            {
                resolved.Add(line);
            }
        }

        var total = resolved.Sum(l => l.Total);
        validation.Check(request.Amount is null || resolved.Count == 0 || request.Amount == total, "amount",
            $"The amount must equal the lines' total ({total}) when both are given.")
            .Check(total <= Amounts.Max, "lines", $"The lines add up to more than {Amounts.Max}.");
        if (!validation.IsValid)
        {
            return (null, validation);
        }

        return (new NewDeal(request.Title!.Trim(), request.Amount ?? total, request.Currency!, request.ExpectedCloseDate, request.PipelineId,
            request.StageKey, request.Probability, resolved, request.RepId, card.Count == 0 ? null : card), validation);
    }

    private static DealLine? Line(DealLineRequest? line, string field, IReadOnlyDictionary<string, ProductDto> products, string currency,
        int minorUnits, Validation validation)
    {
        if (line is null)
        {
            validation.Check(false, field, "A line may not be null.");
            return null;
        }

        var product = line.ProductId is null ? null : products.GetValueOrDefault(line.ProductId);
        var price = line.UnitPrice ?? (product?.Currency == currency ? product.ListPrice : null);
        var errorsBefore = validation.Errors.Count;
        validation
            .Check(line.ProductId is null || product is { Active: true }, $"{field}.productId", $"Product '{line.ProductId}' does not exist or is inactive.")
            .Check(line.ProductId is not null || !string.IsNullOrWhiteSpace(line.Name), $"{field}.name", "A line without a product needs a name.")
            .MaxLength(line.Name, $"{field}.name", 200)
            .Check(line.Quantity is > 0 and <= MaxQuantity && Amounts.FitsMinorUnits(line.Quantity.Value, 4), $"{field}.quantity",
                $"A quantity is above 0, at most {MaxQuantity}, with at most 4 decimals.")
            .Check(price is >= 0 and <= Amounts.Max, $"{field}.unitPrice", line.UnitPrice is null && product is not null
                ? $"The product's list price is in {product.Currency}; give the unit price in {currency}."
                : $"A unit price is between 0 and {Amounts.Max}.")
            .Check(price is null || Amounts.FitsMinorUnits(price.Value, 4), $"{field}.unitPrice", "A unit price has at most 4 decimals.")
            .Check(line.Discount is null or >= 0 and <= 100 && (line.Discount is null || Amounts.FitsMinorUnits(line.Discount.Value, 4)),
                $"{field}.discount", "A discount is a percentage between 0 and 100.");
        if (validation.Errors.Count != errorsBefore || (product is null && line.ProductId is not null))
        {
            return null;
        }

        var discount = line.Discount ?? 0m;
        var total = Amounts.Round(line.Quantity!.Value * price!.Value * (100m - discount) / 100m, minorUnits);
        return new DealLine(line.ProductId, string.IsNullOrWhiteSpace(line.Name) ? product!.Name : line.Name.Trim(), line.Quantity.Value, price.Value, discount, total);
    }
}
