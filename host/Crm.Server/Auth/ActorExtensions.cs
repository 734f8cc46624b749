using System.Security.Claims;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Server.Permissions;

namespace Crm.Server.Auth;

public static class ActorExtensions
{
    /// <summary>The signed-in user as the grains see it, scoped to its current unit path (see <see cref="CallerClaims"/>).</summary>
    public static Actor ToActor(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No user id in the token."),
        user.Role(),
        user.FindFirstValue(TokenService.OrgUnitClaim),
        user.FindFirstValue(CallerClaims.PathClaim) ?? OrgPaths.Nowhere);

    /// <summary>What the signed-in user may see of the read model.</summary>
    public static Visibility ToVisibility(this ClaimsPrincipal user) => new(
        user.Role(),
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No user id in the token."),
        user.FindFirstValue(CallerClaims.PathClaim) ?? OrgPaths.Nowhere);

    private static UserRole Role(this ClaimsPrincipal user) =>
        Enum.Parse<UserRole>(user.FindFirstValue(ClaimTypes.Role) ?? "rep", ignoreCase: true);
}
