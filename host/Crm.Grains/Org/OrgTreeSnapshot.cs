using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Org;

/// <summary>One read of the org tables: unit paths, users with their unit and path, regions; replaced whole, never edited.</summary>
public sealed record OrgTreeSnapshot(
    string? Version,
    IReadOnlyDictionary<string, string> Paths,
    IReadOnlyDictionary<string, OrgMember> Members,
    IReadOnlyList<RegionDefinition> Regions)
{
    /// <summary>
    /// Mapped by property, not by constructor: SQLite gives a computed column (the COALESCE) no type of its own, so with no
    /// user yet its type reads as a blob and no constructor would match.
    /// </summary>
    private sealed class UserRow
    {
        public string Id { get; init; } = "";
        public string Role { get; init; } = "";
        public string? OrgUnitId { get; init; }
        public string? DepartedId { get; init; }
        public long SessionVersion { get; init; }
    }

    private Dictionary<string, string[]>? _watchers;

    /// <summary>
    /// The active managers and admins whose own unit is this unit or one above it: the users a unit's pushes reach
    /// (an admin without a unit watches none, as on the hub). Built once per snapshot.
    /// </summary>
    public IReadOnlyList<string> WatchersOf(string orgUnitId)
    {
        _watchers ??= Members.Values
            .Where(m => m is { Active: true, Role: UserRole.Manager or UserRole.Admin, OrgUnitId: not null })
            .GroupBy(m => m.OrgUnitId!)
            .ToDictionary(g => g.Key, g => g.Select(m => m.UserId).Order(StringComparer.Ordinal).ToArray());
        if (Paths.GetValueOrDefault(orgUnitId) is not { } path)
        {
            return [];
        }

        // A path is '/a/b/c/': the unit itself and every unit above it.
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(unit => _watchers.GetValueOrDefault(unit) ?? [])
            .Distinct()
            .ToList();
    }

    public static async Task<OrgTreeSnapshot> ReadAsync(CrmDatabase database, string? version)
    {
        await using var connection = await database.OpenAsync();
        var paths = (await connection.QueryAsync<(string Id, string Path)>("SELECT id, path FROM org_units"))
            .ToDictionary(u => u.Id, u => u.Path);
        var users = await connection.QueryAsync<UserRow>("""
            SELECT u.id AS Id, u.role AS Role, u.org_unit_id AS OrgUnitId,
                   d.user_id AS DepartedId, COALESCE(s.version, 0) AS SessionVersion
            FROM users u LEFT JOIN departed_users d ON d.user_id = u.id
                         LEFT JOIN session_versions s ON s.user_id = u.id
            """);
        var regions = await connection.QueryAsync<RegionDefinition>("""
            SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, pool_id AS PoolId, province AS Province,
                   city AS City, district AS District, postcode_prefix AS PostcodePrefix
            FROM regions
            """);
        var members = users.ToDictionary(u => u.Id, u =>
        {
            var role = Enum.Parse<UserRole>(u.Role, ignoreCase: true);
            var path = role == UserRole.Admin ? OrgPaths.Root : u.OrgUnitId is { } unit ? paths.GetValueOrDefault(unit) : null;
            return new OrgMember(u.Id, role, u.OrgUnitId, path, u.DepartedId is null, u.SessionVersion);
        });
        return new OrgTreeSnapshot(version, paths, members, regions.ToList());
    }
}
