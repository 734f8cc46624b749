using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
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

    /// <summary>A manager hands work to the active users of its subtree, an admin to anyone active, a rep to itself only.</summary>
    public static bool CanAssignTo(Actor actor, OrgMember? assignee) =>
        assignee is { Active: true }
        && (!actor.IsScoped || actor.Role == UserRole.Admin
            || (actor.Role == UserRole.Manager && OrgPaths.Reaches(actor.OrgUnitPath, assignee.OrgUnitPath))
            || actor.UserId == assignee.UserId);
}
