using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Pools;

/// <summary>Reads pools from the read model.</summary>
public sealed class PoolQueries(CrmDatabase database)
{
    private sealed record Row(string Id, string Name, string OrgUnitId, string RulesJson, long CreatedMs);

    /// <summary>The pools the caller may see.</summary>
    public async Task<IReadOnlyList<PoolDto>> ListAsync(Visibility visibility)
    {
        var args = new DynamicParameters();
        var condition = visibility.Pools(args);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>(
            $"SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, rules_json AS RulesJson, created_ms AS CreatedMs FROM pools WHERE {condition} ORDER BY name", args);
        return rows.Select(r => new PoolDto(r.Id, r.Name, r.OrgUnitId,
            JsonSerializer.Deserialize<PoolRules>(r.RulesJson, EventPublisher.Json) ?? new PoolRules(), UnixTime.FromMs(r.CreatedMs))).ToList();
    }

    /// <summary>Whether the caller may see a pool; single reads answer 404 when it may not.</summary>
    public async Task<bool> IsVisibleAsync(string id, Visibility visibility)
    {
        var args = new DynamicParameters(new { id });
        var condition = visibility.Pools(args);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM pools WHERE id = @id AND {condition}", args) > 0;
    }
}
