using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Org;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Pools;

/// <summary>Who may claim from a pool: the org tree by default, or a list of reps.</summary>
public static class PoolMembersApi
{
    public const int MaxMembers = 1000;

    public static IEndpointRouteBuilder MapPoolMembersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pools/{id}/members").WithTags("Pools").RequireAuthorization();
        api.MapGet("/", Get);
        api.MapPut("/", Set).RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Ok<PoolMembersDto>, ProblemHttpResult>> Get(
        string id, HttpContext http, PoolQueries pools, IGrainFactory grains, OrgTreeCache tree) =>
        await pools.IsVisibleAsync(id, http.User.ToVisibility()) && await grains.GetGrain<IPoolGrain>(id).GetAccess() is { } access
            ? TypedResults.Ok(await ToDtoAsync(id, access, tree))
            : ApiResults.NotFound("Pool", id);

    /// <summary>
    /// Replaces the member list; every member must be an active rep under the pool's unit (a list narrows the tree, it
    /// never widens it), so inside the caller's reach too.
    /// </summary>
    private static async Task<Results<Ok<PoolMembersDto>, ValidationProblem, ProblemHttpResult>> Set(
        string id, PoolMembersRequest request, HttpContext http, PoolQueries pools, IGrainFactory grains, AuditLog audit,
        PoolDirectory directory, OrgTreeCache tree)
    {
        var visibility = http.User.ToVisibility();
        if (!await pools.IsVisibleAsync(id, visibility) || await grains.GetGrain<IPoolGrain>(id).GetAccess() is not { } before)
        {
            return ApiResults.NotFound("Pool", id);
        }

        var poolPath = await tree.PathOf(before.OrgUnitId);
        var members = request.Members ?? [];
        var validation = new Validation().Check(members.Count <= MaxMembers, "members", $"At most {MaxMembers} members.");
        for (var i = 0; i < members.Count && validation.IsValid; i++)
        {
            var member = members[i];
            var ok = !string.IsNullOrWhiteSpace(member) && OrgPaths.Counts(await tree.NamedMember(member), poolPath);
            validation.Check(ok, $"members[{i}]", $"'{member}' is not an active rep under the pool's org unit.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var result = await grains.GetGrain<IPoolGrain>(id).SetMembers(members);
        directory.Forget(id);
        if (result.Error is { } error)
        {
            return ApiResults.Problem(error);
        }

        await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.PoolMembersChanged, "pool", id,
            new() { ["members"] = string.Join(",", result.Value!.Members) });
        return TypedResults.Ok(await ToDtoAsync(id, result.Value!, tree));
    }

    /// <summary>The list as it counts now: reps who left or moved out of the pool's branch are not shown.</summary>
    private static async Task<PoolMembersDto> ToDtoAsync(string id, PoolAccess access, OrgTreeCache tree)
    {
        var counting = await tree.CountingMembers(access.Members, await tree.PathOf(access.OrgUnitId));
        return new PoolMembersDto(id, access.OrgUnitId, counting, counting.Count == 0);
    }
}
