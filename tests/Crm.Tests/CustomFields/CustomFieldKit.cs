using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.CustomFields;

/// <summary>The custom field routes as the tests drive them. Keys get a fresh suffix: definitions are company-wide on a shared server.</summary>
public static class CustomFieldKit
{
    public static string FreshKey(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    public static async Task<CustomFieldDto> DefineAsync(this CrmApi admin, string entity, string key, string type, bool required = false,
        IReadOnlyList<string>? options = null, IReadOnlyList<string>? requiredAtStages = null) =>
        (await admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields",
            new CustomFieldRequest(entity, key, new LocalizedName("字段", key), type, required, options, requiredAtStages)))
        .EnsureStatus(HttpStatusCode.Created).Value!;

    public static Task<ApiResponse<JsonElement>> UndefineAsync(this CrmApi admin, string entity, string key) =>
        admin.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/custom-fields/{entity}/{key}");

    public static Dictionary<string, JsonElement> Values(params (string Key, object? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => JsonSerializer.SerializeToElement(v.Value, CrmApi.Json));

    public static Task<ApiResponse<CustomerDto>> SetFieldsAsync(this CrmApi api, Guid customerId, params (string Key, object? Value)[] values) =>
        api.SendAsync<CustomerDto>(HttpMethod.Put, $"/api/customers/{customerId}/custom-fields", new CustomFieldValuesRequest(Values(values)));

    public static Task<ApiResponse<DealDto>> SetDealFieldsAsync(this CrmApi api, string dealId, params (string Key, object? Value)[] values) =>
        api.SendAsync<DealDto>(HttpMethod.Put, $"/api/deals/{dealId}/custom-fields", new CustomFieldValuesRequest(Values(values)));

    public static string? Text(this IReadOnlyDictionary<string, JsonElement>? fields, string key) =>
        fields is not null && fields.TryGetValue(key, out var value) ? value.ToString() : null;
}
