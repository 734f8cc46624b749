using System.Text.Json;
using Crm.Grains.Deals;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.CustomFields;

/// <summary>
/// The custom field definitions as every silo reads them on the hot path (each create and stage change of a card), held
/// in memory and read again when <see cref="DealCatalog.MaxAge"/> passed or a change went through this silo
/// (<see cref="Invalidate"/>), like <see cref="DealCatalog"/>. The <c>custom_fields</c> table is the truth.
/// </summary>
public sealed class CustomFieldCatalog(CrmDatabase database, TimeProvider clock)
{
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(IReadOnlyList<CustomFieldDefinition> Fields, long LoadedAtTicks);

    public void Invalidate() => _snapshot = null;

    public async Task<IReadOnlyList<CustomFieldDefinition>> AllAsync()
    {
        var current = _snapshot;
        if (current is not null && clock.GetTimestamp() - current.LoadedAtTicks < DealCatalog.MaxAge.TotalSeconds * clock.TimestampFrequency)
        {
            return current.Fields;
        }

        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<string>("SELECT definition_json FROM custom_fields ORDER BY created_ms, entity, field_key");
        var fields = rows.Select(json => JsonSerializer.Deserialize<CustomFieldDefinition>(json, DealCatalog.Json)!).ToList();
        _snapshot = new Snapshot(fields, clock.GetTimestamp());
        return fields;
    }

    public async Task<IReadOnlyList<CustomFieldDefinition>> ForAsync(CustomFieldEntity entity) =>
        (await AllAsync()).Where(f => f.Entity == entity).ToList();
}
