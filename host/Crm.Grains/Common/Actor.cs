using Crm.Client;

namespace Crm.Grains.Common;

/// <summary>
/// Who asks for a change: recorded on the timeline and checked against what the role may do.
/// <see cref="OrgUnitPath"/> is the caller's unit path ('/root/…/unit/', "/" for an admin) as resolved when the
/// request came in; grains check it against the unit of what is touched (see Org/OrgAccess). A null path marks a
/// caller inside the server (sweeps, imports, plugins, grain tests) that is not scoped to a unit.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string UserId, UserRole Role, string? OrgUnitId, string? OrgUnitPath = null)
{
    /// <summary>A user's request, checked against the org tree; false for the server's own calls.</summary>
    public bool IsScoped => OrgUnitPath is not null;

    public bool IsManagerOrAdmin => Role is UserRole.Manager or UserRole.Admin;

    /// <summary>The server itself (sweeps, imports, plugins) acting without a user.</summary>
    public static Actor System { get; } = new("system", UserRole.Admin, null);
}
