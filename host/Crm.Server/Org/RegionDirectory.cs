using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Org;

/// <summary>Regions: addresses mapped to the org unit that may work them (table <c>regions</c>).</summary>
public sealed class RegionDirectory(CrmDatabase database, TimeProvider clock, OrgTreeNotifier tree)
{
    private const string Select = """
        SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, pool_id AS PoolId, province AS Province, city AS City,
               district AS District, postcode_prefix AS PostcodePrefix, created_ms AS CreatedMs
        FROM regions
        """;

    private sealed record Row(string Id, string Name, string OrgUnitId, string PoolId, string? Province, string? City,
        string? District, string? PostcodePrefix, long CreatedMs)
    {
        public RegionDto ToDto() => new(Id, Name, OrgUnitId, PoolId, Province, City, District, PostcodePrefix, UnixTime.FromMs(CreatedMs));
    }

    /// <summary>The regions of the units the caller sees.</summary>
    public async Task<IReadOnlyList<RegionDto>> ListAsync(Visibility visibility)
    {
        var args = new DynamicParameters();
        var condition = visibility.OrgUnits(args);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>($"{Select} WHERE org_unit_id IN (SELECT org_units.id FROM org_units WHERE {condition}) ORDER BY name, id", args);
        return rows.Select(r => r.ToDto()).ToList();
    }

    public async Task<RegionDto?> GetAsync(string id, Visibility visibility)
    {
        var args = new DynamicParameters(new { id });
        var condition = visibility.OrgUnits(args);
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"{Select} WHERE id = @id AND org_unit_id IN (SELECT org_units.id FROM org_units WHERE {condition})", args);
        return row?.ToDto();
    }

    /// <summary>Inserts or replaces a region (the request is validated by the caller).</summary>
    public async Task<RegionDto> SaveAsync(string id, RegionRequest request)
    {
        var row = new Row(id, request.Name!.Trim(), request.OrgUnitId!, request.PoolId!, TextInput.TrimOrNull(request.Province), TextInput.TrimOrNull(request.City),
            TextInput.TrimOrNull(request.District), TextInput.TrimOrNull(request.PostcodePrefix), UnixTime.ToMs(clock.GetUtcNow()));
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO regions (id, name, org_unit_id, pool_id, province, city, district, postcode_prefix, created_ms)
            VALUES (@Id, @Name, @OrgUnitId, @PoolId, @Province, @City, @District, @PostcodePrefix, @CreatedMs)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, org_unit_id = excluded.org_unit_id, pool_id = excluded.pool_id,
                province = excluded.province, city = excluded.city, district = excluded.district,
                postcode_prefix = excluded.postcode_prefix
            """, row);
        await tree.ChangedAsync();
        return (await GetAsync(id, new Visibility(UserRole.Admin, "", "/")))!;
    }

    public async Task<bool> DeleteAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        var deleted = await connection.ExecuteAsync("DELETE FROM regions WHERE id = @id", new { id });
        await tree.ChangedAsync();
        return deleted > 0;
    }
}
