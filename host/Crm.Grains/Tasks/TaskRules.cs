using System.IO.Hashing;
using System.Text;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;

namespace Crm.Grains.Tasks;

/// <summary>The rules of tasks: when they count as due, what is pushed when, and who may change them.</summary>
public static class TaskRules
{
    public const int NothingPushed = 0;
    public const int DuePushed = 1;
    public const int OverduePushed = 2;

    /// <summary>
    /// Due from the working morning of the due day in the unit's calendar (the last working day before it when the due
    /// day is off), or from the due time itself if that comes first.
    /// </summary>
    public static DateTimeOffset DueAlertAt(WorkCalendar calendar, DateTimeOffset dueAt)
    {
        var day = calendar.LocalDate(dueAt);
        for (var back = 0; back < 31 && !calendar.IsWorkingDay(day); back++)
        {
            day = day.AddDays(-1);
        }

        var morning = calendar.LocalMorningAt(day);
        return morning < dueAt ? morning : dueAt;
    }

    /// <summary>The alert stage an open item should have reached at <paramref name="now"/>.</summary>
    public static int StageAt(TaskHeader task, DateTimeOffset now) =>
        now >= task.DueAt ? OverduePushed : now >= task.DueAlertAt ? DuePushed : NothingPushed;

    /// <summary>When the sweep must look at an open item again, after the stage it has reached; null when nothing is left.</summary>
    public static DateTimeOffset? NextAlertAt(TaskHeader task, int stage) => stage switch
    {
        NothingPushed => task.DueAlertAt,
        DuePushed => task.DueAt,
        _ => null,
    };

    /// <summary>Whether a follow-up is recorded on completion, and of which type by default.</summary>
    public static FollowUpType? FollowUpOf(string kind) => kind switch
    {
        TaskKinds.Call => FollowUpType.Call,
        TaskKinds.Visit => FollowUpType.Visit,
        TaskKinds.FollowUp => FollowUpType.Call,
        _ => null,
    };

    /// <summary>
    /// Cancel and reassign: the server, an admin, whoever gave the task, or a manager whose subtree holds the task's unit.
    /// </summary>
    public static bool CanManage(Actor actor, TaskHeader task, string? taskUnitPath) =>
        !actor.IsScoped || actor.Role == UserRole.Admin || actor.UserId == task.CreatedBy
        || (actor.Role == UserRole.Manager && OrgPaths.Reaches(actor.OrgUnitPath, taskUnitPath));

    /// <summary>Customers named in a refusal's message; the <c>customerIds</c> detail lists them all.</summary>
    public const int NamedInMessage = 10;

    /// <summary>
    /// Whether a user can work a customer a task gives it: it may follow it up now (its owner, a manager above it, an
    /// admin), or it is an unowned lead the rep may claim (claimed before completing). Another rep's customer, one out of
    /// the user's reach, or one that no longer exists is not work the user can do.
    /// </summary>
    public static bool CanWork(FollowUpStanding standing) => standing is FollowUpStanding.Allowed or FollowUpStanding.ClaimFirst;

    /// <summary>
    /// Giving (creating or reassigning) customers to <paramref name="assigneeId"/>: 409 <c>cannot-follow-up</c> naming
    /// those it cannot work, or null.
    /// </summary>
    /// <param name="nameOwner">Whether the message may name another rep's customer's owner: on creation the caller was just
    /// found to see every customer; a reassignment's customers may have left its reach since the task was given.</param>
    public static CrmError? RefuseAssignment(string assigneeId, IEnumerable<(Guid CustomerId, FollowUpStanding Standing, string? OwnerId)> customers,
        bool nameOwner = true)
    {
        var refused = customers.Where(c => !CanWork(c.Standing)).ToList();
        return refused.Count == 0 ? null : CrmError.Conflict(ErrorCodes.CannotFollowUp,
            $"'{assigneeId}' cannot follow up {Count(refused.Count)} of this task: {Describe(refused, nameOwner)}. Only the rep who owns a customer follows it up: "
            + $"give each customer to its owner, or assign the customer to '{assigneeId}' first (POST /api/customers/{{id}}/assign).",
            new() { ["customerIds"] = Ids(refused), ["assigneeId"] = assigneeId });
    }

    /// <summary>Splitting over a unit's reps: 409 <c>cannot-follow-up</c> naming the customers none of them can work, or null.</summary>
    public static CrmError? RefuseSplit(string orgUnitId, IReadOnlyList<(Guid CustomerId, FollowUpStanding Standing, string? OwnerId)> unworkable) =>
        unworkable.Count == 0 ? null : CrmError.Conflict(ErrorCodes.CannotFollowUp,
            $"No rep of unit '{orgUnitId}' or below it can follow up {Count(unworkable.Count)}: {Describe(unworkable, nameOwner: true)}. "
            + "Split over a unit that holds their owners, leave them out, or assign them to a rep of the unit first (POST /api/customers/{id}/assign).",
            new() { ["customerIds"] = Ids(unworkable), ["orgUnitId"] = orgUnitId });

    /// <summary>
    /// Completing items that record follow-ups: every customer must be the assignee's to follow up, or nothing is done.
    /// 409 <c>claim-first</c> when all that stands in the way are unowned leads to claim; 409 <c>cannot-follow-up</c>
    /// (ask for a reassignment) when some are no longer the assignee's at all; null when all may be recorded.
    /// </summary>
    public static CrmError? RefuseCompletion(string assigneeId, IEnumerable<(Guid CustomerId, FollowUpStanding Standing, string? OwnerId)> customers)
    {
        var refused = customers.Where(c => c.Standing != FollowUpStanding.Allowed).ToList();
        if (refused.Count == 0)
        {
            return null;
        }

        var details = new Dictionary<string, string> { ["customerIds"] = Ids(refused), ["assigneeId"] = assigneeId };
        var toClaim = refused.Where(c => c.Standing == FollowUpStanding.ClaimFirst).ToList();
        if (toClaim.Count == refused.Count)
        {
            return CrmError.Conflict(ErrorCodes.ClaimFirst,
                $"Claim {Count(toClaim.Count)} from the pool first (POST /api/customers/{{id}}/claim), then complete: {string.Join(", ", toClaim.Take(NamedInMessage).Select(c => c.CustomerId))}"
                + $"{More(toClaim.Count)}. Only the rep who owns a customer records its follow-ups. Nothing was completed.", details);
        }

        var lost = refused.Where(c => c.Standing != FollowUpStanding.ClaimFirst).ToList();
        return CrmError.Conflict(ErrorCodes.CannotFollowUp,
            $"You can no longer follow up {Count(lost.Count)} of this task: {Describe(lost, nameOwner: false)}. Ask whoever gave the task to reassign or cancel "
            + "them, or complete the others by naming them in customerIds"
            + (toClaim.Count > 0 ? $"; claim {string.Join(", ", toClaim.Take(NamedInMessage).Select(c => c.CustomerId))}{More(toClaim.Count)} first" : "")
            + ". Nothing was completed.", details);
    }

    private static string Count(int customers) => customers == 1 ? "1 customer" : $"{customers} customers";

    private static string Ids(IEnumerable<(Guid CustomerId, FollowUpStanding Standing, string? OwnerId)> customers) =>
        string.Join(",", customers.Select(c => c.CustomerId));

    private static string More(int count) => count > NamedInMessage ? $" and {count - NamedInMessage} more" : "";

    /// <summary>The customers and why each is refused; the owner is named to whoever gives work, not to the rep who lost the customer.</summary>
    private static string Describe(IReadOnlyList<(Guid CustomerId, FollowUpStanding Standing, string? OwnerId)> customers, bool nameOwner) =>
        string.Join(", ", customers.Take(NamedInMessage).Select(c => $"{c.CustomerId} ({Why(c.Standing, nameOwner ? c.OwnerId : null)})")) + More(customers.Count);

    /// <summary>
    /// The request id of the follow-up that completing a task's item records: the same for every attempt, so that a retry
    /// after a failure midway (the database away, a silo lost) is answered by the customer with the follow-up it already
    /// has instead of a second one (<see cref="NewFollowUp.RequestId"/>).
    /// </summary>
    public static Guid FollowUpRequestId(string taskId, Guid customerId)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(Encoding.UTF8.GetBytes($"task:{taskId}/{customerId:N}"), hash);
        return new Guid(hash);
    }

    private static string Why(FollowUpStanding standing, string? ownerId) => standing switch
    {
        FollowUpStanding.OwnedByOther => ownerId is null ? "another rep owns it now" : $"owned by '{ownerId}'",
        FollowUpStanding.Missing => "no longer exists",
        FollowUpStanding.ClaimFirst => "unowned: claim it first",
        _ => "out of reach",
    };

    /// <summary>A manager hands work to the active users of its subtree, an admin to anyone active, a rep to itself only.</summary>
    public static bool CanAssignTo(Actor actor, OrgMember? assignee) =>
        assignee is { Active: true }
        && (!actor.IsScoped || actor.Role == UserRole.Admin
            || (actor.Role == UserRole.Manager && OrgPaths.Reaches(actor.OrgUnitPath, assignee.OrgUnitPath))
            || actor.UserId == assignee.UserId);
}
