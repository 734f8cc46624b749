using Crm.Client;

namespace Crm.Grains.Common;

/// <summary>Who asks for a change: recorded on the timeline and checked against what the role may do.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string UserId, Role Role, string? OrgUnitId)
{
    public bool IsManagerOrAdmin => Role is Role.Manager or Role.Admin;

    /// <summary>The server itself (sweeps, imports, plugins) acting without a user.</summary>
    public static Actor System { get; } = new("system", Role.Admin, null);
}
