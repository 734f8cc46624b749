using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Pools;

namespace Crm.Grains.Customers;

/// <summary>
/// Whether a rep may take a customer, for every way of taking one, from one table of cases (capacity and the daily
/// claim limit are the rep grain's, <c>IRepGrain.TryTake</c>):
/// <code>
///                  other owner   reclaim lock   cool-down   counts as claim   rep checked            pool member + region
///   Claim          refused       refused        refused     yes               the caller             when scoped
///   Assign         taken over    -              -           no                inside caller's reach  when scoped
///   Rule           refused       refused        -           no                an active rep          always
///   Create         -             -              -           no                inside caller's reach  when scoped
/// </code>
/// Refusals carry the 409 codes clients switch on; a rep outside the caller's reach answers 404.
/// </summary>
public static class OwnershipPolicy
{
    private enum RepCheck { Caller, Reachable, ActiveRep }

    private sealed record Case(bool RefusesOtherOwner, bool HonoursReclaimLock, bool HonoursCoolDown, bool CountsAsClaim, RepCheck Rep, bool AlwaysChecksMembership);

    private static readonly Dictionary<TakeKind, Case> Cases = new()
    {
        [TakeKind.Claim] = new(RefusesOtherOwner: true, HonoursReclaimLock: true, HonoursCoolDown: true, CountsAsClaim: true, RepCheck.Caller, AlwaysChecksMembership: false),
        [TakeKind.Assign] = new(RefusesOtherOwner: false, HonoursReclaimLock: false, HonoursCoolDown: false, CountsAsClaim: false, RepCheck.Reachable, AlwaysChecksMembership: false),
        [TakeKind.Rule] = new(RefusesOtherOwner: true, HonoursReclaimLock: true, HonoursCoolDown: false, CountsAsClaim: false, RepCheck.ActiveRep, AlwaysChecksMembership: true),
        [TakeKind.Create] = new(RefusesOtherOwner: false, HonoursReclaimLock: false, HonoursCoolDown: false, CountsAsClaim: false, RepCheck.Reachable, AlwaysChecksMembership: false),
    };

    public static bool CountsAsClaim(TakeKind kind) => Cases[kind].CountsAsClaim;

    /// <summary>The refusal, or null when <paramref name="repId"/> may take the customer the way <paramref name="kind"/> says.</summary>
    public static async Task<CrmError?> CheckAsync(CustomerAccess access, OrgTreeCache tree, TakeKind kind, Guid customerId, CustomerState s,
        string poolId, string? regionUnitId, string repId, Actor actor, DateTimeOffset now, PoolAccess? pool = null)
    {
        var rule = Cases[kind];
        if (rule.RefusesOtherOwner && s.OwnerId is { } owner && owner != repId)
        {
            var details = new Dictionary<string, string> { ["customerId"] = customerId.ToString() };
            if (await MaySeeRepAsync(tree, actor, owner))
            {
                details["ownerId"] = owner;
            }

            return CrmError.Conflict(ErrorCodes.AlreadyOwned, "Another rep already owns this customer.", details);
        }

        if (rule.HonoursReclaimLock && s.ReclaimLocks.TryGetValue(repId, out var lockedUntil) && lockedUntil > now)
        {
            var who = kind == TakeKind.Claim ? "You" : $"Rep '{repId}'";
            return CrmError.Conflict(ErrorCodes.ReclaimProtected,
                $"{who} lost or released this customer and may claim it again from {lockedUntil:u}.",
                new() { ["customerId"] = customerId.ToString(), ["repId"] = repId, ["until"] = lockedUntil.ToString("O") });
        }

        if (rule.HonoursCoolDown && s.CoolDownUntil is { } coolDownUntil && coolDownUntil > now)
        {
            return CrmError.Conflict(ErrorCodes.CoolDown,
                $"This customer was just let go and is held in a cool-down; anyone may claim it from {coolDownUntil:u}.",
                new() { ["customerId"] = customerId.ToString(), ["until"] = coolDownUntil.ToString("O") });
        }

        if (!rule.AlwaysChecksMembership && !actor.IsScoped)
        {
            return null;
        }

        var rep = await RepPathAsync(access, tree, rule.Rep, repId, actor);
        return rep.Error ?? await access.MayOwnAsync(customerId, repId, rep.Value, poolId, regionUnitId, pool);
    }

    /// <summary>Least disclosure: a refusal names the owner only to the server, an admin or a manager above that rep, never to another rep.</summary>
    private static async ValueTask<bool> MaySeeRepAsync(OrgTreeCache tree, Actor actor, string repId) =>
        !actor.IsScoped || actor.Role == UserRole.Admin
        || (actor.Role == UserRole.Manager && OrgPaths.Reaches(actor.OrgUnitPath, (await tree.Member(repId))?.OrgUnitPath));

    private static async Task<Result<string?>> RepPathAsync(CustomerAccess access, OrgTreeCache tree, RepCheck check, string repId, Actor actor)
    {
        switch (check)
        {
            case RepCheck.Caller:
                return actor.OrgUnitPath;
            case RepCheck.Reachable:
                var assignee = await access.AssigneeAsync(actor, repId);
                return assignee.Error is { } unreachable ? unreachable : assignee.Value!.OrgUnitPath;
            default:
                var member = await tree.Member(repId);
                return member is { Role: UserRole.Rep, Active: true }
                    ? member.OrgUnitPath
                    : CrmError.Conflict(ErrorCodes.RepUnavailable, $"'{repId}' is not an active rep.", new() { ["repId"] = repId });
        }
    }
}
