using System.Security.Claims;
using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Server.Auth;

public static class ActorExtensions
{
    /// <summary>The signed-in user as the grains see it.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No user id in the token."),
        Enum.Parse<Role>(user.FindFirstValue(ClaimTypes.Role) ?? "rep", ignoreCase: true),
        user.FindFirstValue(TokenService.OrgUnitClaim));
}
