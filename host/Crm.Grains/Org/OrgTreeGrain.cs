using Crm.Client;
using Crm.Grains.Storage;
using Dapper;
using Orleans.Concurrency;

namespace Crm.Grains.Org;

[Reentrant]
public sealed class OrgTreeGrain(CrmDatabase database) : Grain, IOrgTreeGrain
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private Dictionary<string, string> _paths = [];
    private Dictionary<string, OrgMember> _members = [];
    private IReadOnlyList<RegionDefinition> _regions = [];

    private sealed record UserRow(string Id, string Role, string? OrgUnitId, string? DepartedId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Reload();
        this.RegisterGrainTimer(Reload, new GrainTimerCreationOptions(RefreshEvery, RefreshEvery) { Interleave = true });
    }

    public Task<string?> PathOf(string orgUnitId) => Task.FromResult(_paths.GetValueOrDefault(orgUnitId));

    public Task<OrgMember?> Member(string userId) => Task.FromResult(_members.GetValueOrDefault(userId));

    public Task<RegionDefinition?> RegionFor(string? address) => Task.FromResult(RegionMatcher.Match(address, _regions));

    public async Task Reload()
    {
        await using var connection = await database.OpenAsync();
        var paths = (await connection.QueryAsync<(string Id, string Path)>("SELECT id, path FROM org_units"))
            .ToDictionary(u => u.Id, u => u.Path);
        var users = await connection.QueryAsync<UserRow>("""
            SELECT u.id AS Id, u.role AS Role, u.org_unit_id AS OrgUnitId,
                   d.user_id AS DepartedId
            FROM users u LEFT JOIN departed_users d ON d.user_id = u.id
            """);
        var regions = await connection.QueryAsync<RegionDefinition>("""
            SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, pool_id AS PoolId, province AS Province,
                   city AS City, district AS District, postcode_prefix AS PostcodePrefix
            FROM regions
            """);

        // Swapped whole: a read running between two awaits sees either the old or the new tree, never a mix.
        _paths = paths;
        _members = users.ToDictionary(u => u.Id, u =>
        {
            var role = Enum.Parse<Role>(u.Role, ignoreCase: true);
            var path = role == Role.Admin ? OrgPaths.Root : u.OrgUnitId is { } unit ? paths.GetValueOrDefault(unit) : null;
            return new OrgMember(u.Id, role, u.OrgUnitId, path, u.DepartedId is null);
        });
        _regions = regions.ToList();
    }
}
