using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Server.Auth;

/// <summary>The users API's <see cref="Role"/> and the server's <see cref="UserRole"/>, mapped at the edge.</summary>
public static class RoleWire
{
    public static UserRole ToUserRole(this Role role) => role switch
    {
        Role.Admin => UserRole.Admin,
        Role.Manager => UserRole.Manager,
        _ => UserRole.Rep,
    };

    public static Role ToWire(this UserRole role) => role switch
    {
        UserRole.Admin => Role.Admin,
        UserRole.Manager => Role.Manager,
        _ => Role.Rep,
    };
}
