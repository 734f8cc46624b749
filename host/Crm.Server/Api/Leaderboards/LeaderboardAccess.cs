using System.Security.Claims;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Leaderboards;
using Crm.Grains.Org;
using Crm.Server.Api.Common;
using Crm.Server.Api.Targets;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Leaderboards;

/// <summary>
/// Who sees which board. A sales board is the team's shared scoreboard, so a rep sees the board of its own unit (its
/// teammates' figures of the ranked metric) but no other unit's, not even the ones above it: that would show other
/// teams' people. A manager sees the boards of its unit and every unit below; an admin every board and the company's.
/// A unit outside one's reach is 404 (its existence is not told); the company to a non-admin is 403.
/// </summary>
public sealed class LeaderboardAccess(ReportScopes scopes)
{
    /// <summary>The board of <paramref name="scopeId"/> (none: the caller's own unit; an admin without one, the company).</summary>
    public async Task<(ReportScope? Scope, ProblemHttpResult? Refused)> ResolveAsync(string? scopeId, ClaimsPrincipal user)
    {
        var actor = user.ToActor();
        var id = string.IsNullOrWhiteSpace(scopeId) ? actor.Role == UserRole.Admin ? null : actor.OrgUnitId : scopeId.Trim();
        if (id is null && actor.Role == UserRole.Admin || id == LeaderboardBoards.Company)
        {
            return actor.Role == UserRole.Admin
                ? (await scopes.ResolveAsync(ReportScope.Company, null), null)
                : (null, ApiResults.Problem(CrmError.Forbidden("The company's board is for admins; managers see their subtree's boards.")));
        }

        var scope = id is null ? null : await scopes.ResolveAsync(ReportScope.OrgUnit, id);
        var visible = scope is not null && actor.Role switch
        {
            UserRole.Admin => true,
            UserRole.Manager => OrgPaths.Reaches(actor.OrgUnitPath, scope.Path),
            _ => scope.Id == actor.OrgUnitId,
        };
        return visible ? (scope, null) : (null, ApiResults.NotFound("Org unit", id ?? ""));
    }

    /// <summary>The key of a scope's board (and of its live channel).</summary>
    public static string BoardOf(ReportScope scope) => scope.Id ?? LeaderboardBoards.Company;
}
