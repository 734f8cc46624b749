using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.Pools;

/// <summary>Reads pools from the read model.</summary>
public sealed class PoolQueries(CrmDatabase database)
{
    private sealed record Row(string Id, string Name, string OrgUnitId, string RulesJson, long CreatedMs);

    public async Task<IReadOnlyList<PoolDto>> ListAsync()
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>(
            "SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, rules_json AS RulesJson, created_ms AS CreatedMs FROM pools ORDER BY name");
        return rows.Select(r => new PoolDto(r.Id, r.Name, r.OrgUnitId,
            JsonSerializer.Deserialize<PoolRules>(r.RulesJson, EventPublisher.Json) ?? new PoolRules(), UnixTime.FromMs(r.CreatedMs))).ToList();
    }
}
