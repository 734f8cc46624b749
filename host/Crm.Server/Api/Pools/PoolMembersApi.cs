using Crm.Grains.Common;
using Crm.Client;
using Crm.Grains.Pools;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
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

    private static async Task<Results<Ok<PoolMembersDto>, ProblemHttpResult>> Get(string id, HttpContext http, PoolQueries pools, IGrainFactory grains) =>
        await pools.IsVisibleAsync(id, http.User.ToVisibility()) && await grains.GetGrain<IPoolGrain>(id).GetAccess() is { } access
            ? TypedResults.Ok(ToDto(id, access))
            : ApiResults.NotFound("Pool", id);

    /// <summary>Replaces the member list; every member must be an active rep the caller manages.</summary>
    private static async Task<Results<Ok<PoolMembersDto>, ValidationProblem, ProblemHttpResult>> Set(
        string id, PoolMembersRequest request, HttpContext http, PoolQueries pools, UserDirectory users, IGrainFactory grains, AuditLog audit,
        PoolDirectory directory)
    {
        var visibility = http.User.ToVisibility();
        if (!await pools.IsVisibleAsync(id, visibility))
        {
            return ApiResults.NotFound("Pool", id);
        }

        var members = request.Members ?? [];
        var validation = new Validation().Check(members.Count <= MaxMembers, "members", $"At most {MaxMembers} members.");
        for (var i = 0; i < members.Count && validation.IsValid; i++)
        {
            var member = members[i];
            var ok = !string.IsNullOrWhiteSpace(member) && await users.IsVisibleAsync(member, visibility)
                && await users.GetAsync(member) is { RoleValue: UserRole.Rep, Active: true };
            validation.Check(ok, $"members[{i}]", $"'{member}' is not an active rep in your part of the org tree.");
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
        return TypedResults.Ok(ToDto(id, result.Value!));
    }

    private static PoolMembersDto ToDto(string id, PoolAccess access) =>
        new(id, access.OrgUnitId, access.Members, access.Members.Count == 0);
}
