using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// The org tree the matrix runs on. The manager and the rep who call sit on "Mid":
/// <code>
///   Root (above) ─┬─ Mid (own) ── Leaf (below)
///                 └─ Side (sibling)
/// </code>
/// Each unit has a public pool, a rep, a region, an unowned lead and a customer owned by its rep (Mid's rep is the
/// calling rep). Names are fresh, so the world shares a server with other tests.
/// </summary>
public sealed class PermissionWorld
{
    private readonly Dictionary<Rel, WorldUnit> _units = [];

    private PermissionWorld(CrmApi admin, CrmApi manager, CrmApi rep)
    {
        Admin = admin;
        Manager = manager;
        Rep = rep;
    }

    public CrmApi Admin { get; }

    /// <summary>The manager of Mid.</summary>
    public CrmApi Manager { get; }

    /// <summary>A rep on Mid.</summary>
    public CrmApi Rep { get; }

    public CrmApi CallerOf(Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Manager => Manager,
        _ => Rep,
    };

    public WorldUnit UnitAt(Rel relation) => _units[relation];

    public static async Task<PermissionWorld> CreateAsync(ServerProcess server)
    {
        var anonymous = server.Api();
        var admin = await anonymous.LoginAsAdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];

        async Task<string> Unit(string name, string? parent) =>
            (await admin.CreateOrgUnitAsync($"{name} {tag}", parent)).EnsureStatus(HttpStatusCode.Created).Value!.Id;

        var root = await Unit("Root", null);
        var mid = await Unit("Mid", root);
        var leaf = await Unit("Leaf", mid);
        var side = await Unit("Side", root);

        (await admin.CreateUserAsync($"pm-mgr-{tag}", Role.Manager, mid)).EnsureStatus(HttpStatusCode.Created);
        var world = new PermissionWorld(admin,
            await anonymous.LoginAsync($"pm-mgr-{tag}", "rep-Passw0rd!"),
            await CreateRepAsync(admin, anonymous, $"pm-rep-{tag}", mid));

        foreach (var (relation, unitId) in new[] { (Rel.Own, mid), (Rel.Below, leaf), (Rel.Above, root), (Rel.Sibling, side) })
        {
            var name = $"{relation}-{tag}";
            var pool = (await admin.CreatePoolAsync($"Pool {name}", unitId)).EnsureStatus(HttpStatusCode.Created).Value!;
            var repId = relation == Rel.Own
                ? world.Rep.UserId
                : (await admin.CreateUserAsync($"pm-{relation}-{tag}".ToLowerInvariant(), Role.Rep, unitId)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
            var unit = new WorldUnit(world, name, unitId, pool.Id, repId, "");
            unit = unit with { RegionId = await unit.NewRegionAsync() };
            world._units[relation] = unit with { Lead = await unit.NewLeadAsync(), Owned = await unit.NewOwnedAsync() };
        }

        return world;
    }

    private static async Task<CrmApi> CreateRepAsync(CrmApi admin, CrmApi anonymous, string userName, string unitId)
    {
        (await admin.CreateUserAsync(userName, Role.Rep, unitId)).EnsureStatus(HttpStatusCode.Created);
        return await anonymous.LoginAsync(userName, "rep-Passw0rd!");
    }
}
