using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Org;

/// <summary>
/// The org tree (company → regions → teams). Small, rarely written data kept in its table; each unit
/// stores its path from the root so that "this unit and everything below" is one prefix match.
/// </summary>
public sealed class OrgUnitDirectory(CrmDatabase database, TimeProvider clock, OrgTreeNotifier tree)
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
        await tree.ChangedAsync();
        return new OrgUnitDto(row.Id, row.Name, row.ParentId, []);
    }

    public async Task<OrgUnitRow?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<OrgUnitRow>(
            "SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE id = @id", new { id });
    }

    /// <summary>The units the caller may see: its own and those below it (an admin: all).</summary>
    public async Task<IReadOnlyList<OrgUnitRow>> ListAsync(Visibility visibility)
    {
        var args = new DynamicParameters();
        var condition = visibility.OrgUnits(args);
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<OrgUnitRow>(
            $"SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE {condition} ORDER BY path", args)).ToList();
    }

    /// <summary>
    /// Renames a unit and/or moves it under another parent (null: leave as is; <paramref name="toRoot"/>: make it a
    /// root). A move rewrites the paths of the whole subtree in one statement, so everything below moves with it.
    /// </summary>
    public async Task<Result<OrgUnitRow>> UpdateAsync(string id, string? name, string? parentId, bool toRoot)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var unit = await connection.QuerySingleOrDefaultAsync<OrgUnitRow>(
            "SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE id = @id", new { id }, transaction);
        if (unit is null)
        {
            return CrmError.NotFound("Org unit", id);
        }

        var path = unit.Path;
        var parent = unit.ParentId;
        if (toRoot || (parentId is not null && parentId != unit.ParentId))
        {
            var newParentPath = "/";
            if (!toRoot)
            {
                var newParent = await connection.QuerySingleOrDefaultAsync<OrgUnitRow>(
                    "SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE id = @parentId", new { parentId }, transaction);
                if (newParent is null)
                {
                    return CrmError.Invalid("parentId", $"Org unit '{parentId}' does not exist.");
                }

                if (newParent.Path.StartsWith(unit.Path, StringComparison.Ordinal))
                {
                    return CrmError.Conflict(ErrorCodes.OrgCycle, "A unit cannot move under itself or a unit below it.",
                        new() { ["id"] = id, ["parentId"] = parentId! });
                }

                newParentPath = newParent.Path;
            }

            parent = toRoot ? null : parentId;
            path = $"{newParentPath}{id}/";
            await connection.ExecuteAsync(
                "UPDATE org_units SET path = @path || substr(path, @cut) WHERE path LIKE @prefix",
                new { path, cut = unit.Path.Length + 1, prefix = unit.Path + "%" }, transaction);
            await connection.ExecuteAsync("UPDATE org_units SET parent_id = @parent WHERE id = @id", new { parent, id }, transaction);
        }

        var newName = string.IsNullOrWhiteSpace(name) ? unit.Name : name.Trim();
        await connection.ExecuteAsync("UPDATE org_units SET name = @newName WHERE id = @id", new { newName, id }, transaction);
        await transaction.CommitAsync();
        await tree.ChangedAsync();
        return new OrgUnitRow(id, newName, parent, path);
    }

    /// <summary>A unit with its whole subtree below it, as <see cref="ToTree"/> shows it, and its own parent.</summary>
    public async Task<OrgUnitDto> WithChildrenAsync(OrgUnitRow unit)
    {
        await using var connection = await database.OpenAsync();
        var rows = (await connection.QueryAsync<OrgUnitRow>(
            "SELECT id, name, parent_id AS ParentId, path FROM org_units WHERE path LIKE @prefix ORDER BY path", new { prefix = unit.Path + "%" })).ToList();
        return ToTree(rows).Single(u => u.Id == unit.Id) with { ParentId = unit.ParentId };
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

    /// <summary>
    /// The rows as a forest: a unit whose parent is not among the rows (the caller's own unit) is a root, shown
    /// without its parent's id so that nothing above the caller leaks.
    /// </summary>
    public static IReadOnlyList<OrgUnitDto> ToTree(IReadOnlyList<OrgUnitRow> rows)
    {
        var ids = rows.Select(r => r.Id).ToHashSet();
        var children = rows.ToLookup(r => r.ParentId is { } p && ids.Contains(p) ? p : "");
        IReadOnlyList<OrgUnitDto> Build(string parent) =>
            children[parent].OrderBy(r => r.Name).Select(r => new OrgUnitDto(r.Id, r.Name, parent == "" ? null : r.ParentId, Build(r.Id))).ToList();
        return Build("");
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];
}
