using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>One unit of the permission world with its public pool, its rep, its region and two customers to read.</summary>
public sealed record WorldUnit(PermissionWorld World, string Name, string UnitId, string PoolId, string RepId, string RegionId)
{
    /// <summary>An unowned lead in the unit's pool, created with the world.</summary>
    public CustomerDto Lead { get; init; } = null!;

    /// <summary>A customer in the unit's pool owned by the unit's rep (for the caller rep's own unit: owned by the caller).</summary>
    public CustomerDto Owned { get; init; } = null!;

    public async Task<CustomerDto> NewLeadAsync() =>
        (await World.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Lead {Name} {Guid.NewGuid():N}", PoolId: PoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

    public async Task<CustomerDto> NewOwnedAsync() =>
        (await World.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Owned {Name} {Guid.NewGuid():N}", PoolId: PoolId, OwnerId: RepId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

    public async Task<string> NewRepAsync()
    {
        var name = $"rep-{Name}-{Guid.NewGuid():N}"[..30];
        return (await World.Admin.CreateUserAsync(name, Role.Rep, UnitId)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
    }

    public async Task<string> NewChildUnitAsync() =>
        (await World.Admin.CreateOrgUnitAsync($"Child of {Name}", UnitId)).EnsureStatus(HttpStatusCode.Created).Value!.Id;

    public async Task<string> NewRegionAsync() =>
        (await World.Admin.SendAsync<RegionDto>(HttpMethod.Post, "/api/regions",
            new RegionRequest($"Region {Name}", UnitId, PoolId, City: $"city-{Guid.NewGuid():N}")))
        .EnsureStatus(HttpStatusCode.Created).Value!.Id;
}
