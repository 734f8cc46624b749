using System.Text.Json;

namespace Crm.Grains.Customers;

/// <summary>
/// What a new customer is created from (<see cref="ICustomerGrain.Create"/>): the API maps its <c>CreateCustomerRequest</c>
/// to it at the edge. Custom field values travel as their JSON text, read against the definitions by the grain.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewCustomer(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Company = null,
    [property: Id(2)] string? Phone = null,
    [property: Id(3)] string? Email = null,
    [property: Id(4)] string? TaxId = null,
    [property: Id(5)] string? Address = null,
    [property: Id(6)] string? Source = null,
    [property: Id(7)] string? PoolId = null,
    [property: Id(8)] string? OwnerId = null,
    [property: Id(9)] string? Industry = null,
    [property: Id(10)] string? Region = null,
    [property: Id(11)] string? Language = null,
    [property: Id(12)] IReadOnlyDictionary<string, string>? CustomFieldsJson = null)
{
    /// <summary>The custom field values as JSON, for <see cref="CustomFields.CustomFieldRules.Read"/>.</summary>
    public Dictionary<string, JsonElement>? CustomFieldValues() => CustomFieldsJson?.ToDictionary(
        f => f.Key, f => JsonElement.Parse(f.Value), StringComparer.Ordinal);

    /// <summary>Custom field values given as JSON, kept as their text for the grain call.</summary>
    public static IReadOnlyDictionary<string, string>? JsonTexts(IReadOnlyDictionary<string, JsonElement>? values) =>
        values?.ToDictionary(v => v.Key, v => v.Value.GetRawText(), StringComparer.Ordinal);
}
