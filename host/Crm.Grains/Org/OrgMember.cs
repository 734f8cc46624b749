using Crm.Grains.Common;
using Crm.Client;

namespace Crm.Grains.Org;

/// <summary>
/// A user as the permission checks see it: role, unit and that unit's path; departed users are inactive. An access
/// token issued under an older <see cref="SessionVersion"/> is refused (its sessions were ended).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrgMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] UserRole Role,
    [property: Id(2)] string? OrgUnitId,
    [property: Id(3)] string? OrgUnitPath,
    [property: Id(4)] bool Active,
    [property: Id(5)] long SessionVersion = 0);
