using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Org;

/// <summary>
/// The org tree (company → regions → teams). Small, rarely written data kept in its table; each unit
/// stores its path from the root so that "this unit and everything below" is one prefix match.
/// </summary>
public sealed class OrgUnitDirectory(CrmDatabase database, TimeProvider clock)
{
    public sealed record OrgUnitRow(string Id, string Name, string? ParentId, string Path);

    public async Task<Result<OrgUnitDto>> CreateAsync(string name, string? parentId)
    {
        await using var connection = await database.OpenAsync();
        var path = "/";
        if (parentId is not null)
        {
            var parent = await connection.QuerySingleOrDefaultAsync<OrgUnitRow>(
                "SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE id = @parentId", new { parentId });
            if (parent is null)
            {
                return CrmError.Invalid("parentId", $"Org unit '{parentId}' does not exist.");
            }

            path = parent.Path;
        }

        var id = NewId();
        var row = new OrgUnitRow(id, name.Trim(), parentId, $"{path}{id}/");
        await connection.ExecuteAsync(
            "INSERT INTO org_units (id, name, parent_id, path, created_ms) VALUES (@Id, @Name, @ParentId, @Path, @CreatedMs)",
            new { row.Id, row.Name, row.ParentId, row.Path, CreatedMs = UnixTime.ToMs(clock.GetUtcNow()) });
        return new OrgUnitDto(row.Id, row.Name, row.ParentId, []);
    }

    public async Task<OrgUnitRow?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<OrgUnitRow>(
            "SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<OrgUnitRow>> ListAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<OrgUnitRow>("SELECT id, name, parent_id AS ParentId, path FROM org_units ORDER BY path")).ToList();
    }

    /// <summary>The ids of a unit and of every unit below it.</summary>
    public async Task<IReadOnlyList<string>> SubtreeAsync(string id)
    {
        var unit = await GetAsync(id);
        if (unit is null)
        {
            return [];
        }

        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT id FROM org_units WHERE path LIKE @prefix", new { prefix = unit.Path + "%" })).ToList();
    }

    public static IReadOnlyList<OrgUnitDto> ToTree(IReadOnlyList<OrgUnitRow> rows)
    {
        var children = rows.ToLookup(r => r.ParentId ?? "");
        IReadOnlyList<OrgUnitDto> Build(string parent) =>
            children[parent].OrderBy(r => r.Name).Select(r => new OrgUnitDto(r.Id, r.Name, r.ParentId, Build(r.Id))).ToList();
        return Build("");
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];
}
