using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;
using Crm.Grains.Tasks;
using Crm.Server.Api.Common;
using Crm.Server.Permissions;

namespace Crm.Server.Api.Tasks;

/// <summary>Checks a new task's fields and resolves who gets which customers (an assignee, or a split over a unit's reps).</summary>
public static class TaskInput
{
    public const int MaxCustomers = 1000;
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    public static Validation Check(CreateTaskRequest request, DateTimeOffset now)
    {
        var ids = request.CustomerIds ?? [];
        return new Validation()
            .Require(request.Title, "title", 200)
            .Check(request.Kind is not null && TaskKinds.All.Contains(request.Kind), "kind", $"'kind' must be one of {string.Join(", ", TaskKinds.All)}.")
            .Check(ids.Count is >= 1 and <= MaxCustomers, "customerIds", $"Name 1 to {MaxCustomers} customers.")
            .Check(ids.All(i => i != Guid.Empty), "customerIds", "A customer id cannot be the all-zero GUID.")
            .Check(ids.Distinct().Count() == ids.Count, "customerIds", "Each customer id once: the list names one twice.")
            .Require(request.DueAt, "dueAt")
            .Check(request.DueAt is null || (request.DueAt > now && request.DueAt <= now + MaxAhead), "dueAt", "'dueAt' must lie in the coming year.")
            .Check((request.AssigneeId is null) != (request.Split is null), "assigneeId", request.AssigneeId is null
                ? "Give 'assigneeId' (one rep) or 'split' (the reps of a unit)."
                : "Give either 'assigneeId' or 'split', not both.")
            .MaxLength(request.AssigneeId, "assigneeId", 64)
            .Check(request.Split is null || !string.IsNullOrWhiteSpace(request.Split.OrgUnitId), "split.orgUnitId", "'split.orgUnitId' is required.")
            .MaxLength(request.Split?.OrgUnitId, "split.orgUnitId", 64)
            .Check(request.Split is null || (request.Split.By ?? TaskSplitModes.Even) is var by && TaskSplitModes.All.Contains(by), "split.by",
                $"'split.by' must be one of {string.Join(", ", TaskSplitModes.All)}.")
            .MaxLength(request.Goal, "goal", 200)
            .MaxLength(request.Notes, "notes", 4000);
    }

    /// <summary>
    /// The assignments and the task's unit, or the refusal (400 field, 403, 409 no reps, 409 cannot-follow-up). Each
    /// customer goes to a user who can work it (<see cref="TaskRules.CanWork"/>), as its customer grain answers.
    /// </summary>
    public static async Task<Result<(IReadOnlyList<TaskAssignment> Assignments, string? OrgUnitId)>> ResolveAsync(
        CreateTaskRequest request, Actor actor, OrgTreeCache tree, TaskQueries queries, IGrainFactory grains)
    {
        if (request.AssigneeId is { } assigneeId)
        {
            var member = await tree.Member(assigneeId);
            if (member is not { Active: true })
            {
                return CrmError.Invalid("assigneeId", "No active user has this id.");
            }

            if (!TaskRules.CanAssignTo(actor, member))
            {
                return CrmError.Forbidden(actor.Role == UserRole.Rep ? "A rep gives tasks to itself only." : "Assign to a user of your unit or below.");
            }

            var standings = await TaskFollowUps.AskAsync(grains, request.CustomerIds!, [member]);
            if (TaskRules.RefuseAssignment(assigneeId, request.CustomerIds!.Select(c => (c, standings[c].Of[0], standings[c].OwnerId))) is { } cannot)
            {
                return cannot;
            }

            return ([new TaskAssignment(assigneeId, request.CustomerIds!)], member.OrgUnitId);
        }

        var split = request.Split!;
        if (actor.Role == UserRole.Rep)
        {
            return CrmError.Forbidden("Only managers and admins split tasks over a unit.");
        }

        if (await tree.PathOf(split.OrgUnitId!) is not { } path)
        {
            return CrmError.Invalid("split.orgUnitId", "No org unit has this id.");
        }

        if (actor.Role != UserRole.Admin && !OrgPaths.Reaches(actor.OrgUnitPath, path))
        {
            return CrmError.Forbidden("Split tasks over your unit or a unit below it.");
        }

        var reps = await queries.RepsUnderAsync(path);
        if (reps.Count == 0)
        {
            return CrmError.Conflict(ErrorCodes.NoReps, "The unit and the units below it have no active rep.", new() { ["orgUnitId"] = split.OrgUnitId! });
        }

        var members = new List<OrgMember>();
        foreach (var repId in reps.Keys.Order(StringComparer.Ordinal))
        {
            if (await tree.Member(repId) is { Active: true } rep)
            {
                members.Add(rep);
            }
        }

        // Who may take each customer: its owner if one of these reps owns it, else the reps who may claim it.
        var asked = await TaskFollowUps.AskAsync(grains, request.CustomerIds!, members);
        var eligible = new Dictionary<Guid, IReadOnlySet<string>>();
        var unworkable = new List<(Guid, FollowUpStanding, string?)>();
        foreach (var customerId in request.CustomerIds!)
        {
            var answer = asked[customerId];
            var may = members.Where((_, i) => TaskRules.CanWork(answer.Of[i])).Select(m => m.UserId).ToHashSet();
            if (may.Count == 0)
            {
                unworkable.Add((customerId, answer.Of.FirstOrDefault(s => s != FollowUpStanding.OutOfReach, FollowUpStanding.OutOfReach), answer.OwnerId));
            }

            eligible[customerId] = may;
        }

        if (TaskRules.RefuseSplit(split.OrgUnitId!, unworkable) is { } refused)
        {
            return refused;
        }

        var ordered = request.CustomerIds!.Select(id => (id, asked[id].OwnerId)).ToList();
        return (TaskSplitter.Split(ordered, members.Select(m => m.UserId).ToList(), split.By ?? TaskSplitModes.Even, reps, eligible), split.OrgUnitId);
    }
}
