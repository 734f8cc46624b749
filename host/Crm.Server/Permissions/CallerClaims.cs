using System.Security.Claims;
using Crm.Grains.Org;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Authentication;

namespace Crm.Server.Permissions;

/// <summary>
/// Replaces the role and org unit a token was issued with by the user's current ones from the org tree, and
/// adds the unit's path: a promotion, a move or a departure takes effect on the next request, not when the
/// token expires. A departed or deleted user's token stops working (401).
/// </summary>
public sealed class CallerClaims(IGrainFactory grains) : IClaimsTransformation
{
    public const string PathClaim = "org_path";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity || identity.HasClaim(c => c.Type == PathClaim))
        {
            return principal;
        }

        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var member = userId is null ? null : await grains.GetGrain<IOrgTreeGrain>(0).Member(userId);
        if (member is not { Active: true })
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        var current = new ClaimsIdentity(
            identity.Claims.Where(c => c.Type is not (ClaimTypes.Role or TokenService.OrgUnitClaim)),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        current.AddClaim(new Claim(ClaimTypes.Role, member.Role.ToString().ToLowerInvariant()));
        if (member.OrgUnitId is not null)
        {
            current.AddClaim(new Claim(TokenService.OrgUnitClaim, member.OrgUnitId));
        }

        // A manager or rep whose unit is gone reaches nothing rather than everything.
        current.AddClaim(new Claim(PathClaim, member.OrgUnitPath ?? OrgPaths.Nowhere));
        return new ClaimsPrincipal(current);
    }
}
