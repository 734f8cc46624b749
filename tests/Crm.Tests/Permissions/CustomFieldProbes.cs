using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.CustomFields;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>Arrangements for the custom field rows of the permission matrix: optional text fields, so other tests' cards stay valid.</summary>
public static class CustomFieldProbes
{
    public static CustomFieldRequest Field() => new("deal", CustomFieldKit.FreshKey("matrix"), new LocalizedName(En: "Matrix"), "text");

    public static async Task<string> NewFieldAsync(CrmApi admin) =>
        (await admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields", Field())).EnsureStatus(HttpStatusCode.Created).Value!.Key;

    /// <summary>Fields are bounded per kind of card: the value rows share one field per entity and server.</summary>
    private static readonly ConcurrentDictionary<(CrmApi Admin, string Entity), Lazy<Task<string>>> ValueFields = new();

    /// <summary>A fresh value of an optional text field of the entity.</summary>
    public static async Task<CustomFieldValuesRequest> ValuesAsync(CrmApi admin, string entity)
    {
        var key = await ValueFields.GetOrAdd((admin, entity), k => new(async () =>
        {
            var fresh = CustomFieldKit.FreshKey("matrix");
            await k.Admin.DefineAsync(k.Entity, fresh, "text");
            return fresh;
        })).Value;
        return new CustomFieldValuesRequest(new Dictionary<string, JsonElement> { [key] = JsonSerializer.SerializeToElement($"probe {Guid.NewGuid():N}") });
    }
}
