using System.Text.Json;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Deals;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.CustomFields;

/// <summary>Writes of the custom field definitions; each invalidates this silo's <see cref="CustomFieldCatalog"/> (the others follow within its max age).</summary>
public sealed class CustomFieldStore(CrmDatabase database, CustomFieldCatalog catalog)
{
    public async Task SaveAsync(CustomFieldDefinition field)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO custom_fields (entity, field_key, definition_json, created_ms) VALUES (@entity, @key, @json, @created)
            ON CONFLICT (entity, field_key) DO UPDATE SET definition_json = excluded.definition_json
            """, new
        {
            entity = CustomFieldNames.Of(field.Entity),
            key = field.Key,
            json = JsonSerializer.Serialize(field, DealCatalog.Json),
            created = UnixTime.ToMs(field.CreatedAt),
        });
        catalog.Invalidate();
    }

    /// <summary>Removes a definition. Values already on cards stay in their history and snapshots; they are no longer checked.</summary>
    public async Task<bool> DeleteAsync(CustomFieldEntity entity, string key)
    {
        await using var connection = await database.OpenAsync();
        var deleted = await connection.ExecuteAsync("DELETE FROM custom_fields WHERE entity = @entity AND field_key = @key",
            new { entity = CustomFieldNames.Of(entity), key });
        catalog.Invalidate();
        return deleted > 0;
    }
}
