using System.Security.Claims;
using Crm.Grains.Org;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Crm.Server.Permissions;

/// <summary>
/// Runs when a bearer token has been validated: replaces the role and org unit the token was issued with by the
/// user's current ones from the org tree, and adds the unit's path. A promotion, a move or a departure takes effect
/// on the next request, not when the token expires; a departed or deleted user's token fails (401), and so does a token
/// issued before the user's sessions were ended (<see cref="RefreshTokens.RevokeUserAsync"/>). Read from the
/// silo's own copy of the org tree: no grain call per request.
/// </summary>
public sealed class CallerClaims(OrgTreeCache tree)
{
    public const string PathClaim = "org_path";

    public async Task RefreshAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            context.Fail("The token carries no identity.");
            return;
        }

        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var sessionVersion = TokenService.SessionVersionOf(identity);
        var member = userId is null ? null : await tree.NamedMember(userId);
        if (member is not { Active: true })
        {
            context.Fail("The user has left or does not exist.");
            return;
        }

        // A token of a newer version than this silo's copy passes: it was issued after the end, made on another silo a moment ago.
        if (member.SessionVersion > sessionVersion)
        {
            context.Fail("The user's sessions were ended (password changed or reset, or a stolen refresh token): sign in again.");
            return;
        }

        var current = new ClaimsIdentity(
            identity.Claims.Where(c => c.Type is not (ClaimTypes.Role or TokenService.OrgUnitClaim or PathClaim)),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        current.AddClaim(new Claim(ClaimTypes.Role, member.Role.ToString().ToLowerInvariant()));
        if (member.OrgUnitId is not null)
        {
            current.AddClaim(new Claim(TokenService.OrgUnitClaim, member.OrgUnitId));
        }

        // A manager or rep whose unit is gone reaches nothing rather than everything.
        current.AddClaim(new Claim(PathClaim, member.OrgUnitPath ?? OrgPaths.Nowhere));
        context.Principal = new ClaimsPrincipal(current);
    }
}
