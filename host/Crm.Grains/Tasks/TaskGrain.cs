using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Org;
using Microsoft.Extensions.Logging;

namespace Crm.Grains.Tasks;

/// <summary>
/// A task: check → decide → write the rows → only then take the new state and push. Its state is its rows (loaded on
/// activation), so there is no second copy to keep in step; a failed write leaves the grain as it was.
/// </summary>
public sealed class TaskGrain(TaskStore store, CalendarDirectory calendars, OrgTreeCache tree, TimeProvider clock, ILogger<TaskGrain> logger)
    : Grain, ITaskGrain
{
    private TaskSnapshot? _task;

    private string TaskId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _task = Closed(await store.LoadAsync(TaskId));

    /// <summary>
    /// A task stored open with nothing open in it is done: before completing the last item closed a task, such tasks were
    /// left open (the row keeps saying so; only open items are read from it, so nothing else is misled).
    /// </summary>
    private static TaskSnapshot? Closed(TaskSnapshot? task) =>
        task is { Header.Status: TaskStatuses.Open } && task.Items.Count > 0 && task.Items.All(i => i.Status != TaskStatuses.Open)
            ? task with { Header = task.Header with { Status = TaskStatuses.Done } }
            : task;

    public Task<TaskSnapshot?> Get() => Task.FromResult(_task);

    public async Task<Result<TaskSnapshot>> Create(NewTask task, Actor actor)
    {
        if (_task is not null)
        {
            return _task;
        }

        var now = clock.GetUtcNow();
        var (calendar, _) = await calendars.ForUnitAsync(task.OrgUnitId);
        var header = new TaskHeader(TaskId, task.Title, task.Kind, task.Goal, task.Notes, actor.UserId, task.OrgUnitId, now, task.DueAt,
            TaskRules.DueAlertAt(calendar, task.DueAt), TaskStatuses.Open, task.SequenceId);
        var first = TaskRules.NextAlertAt(header, TaskRules.NothingPushed);
        var items = task.Assignments
            .SelectMany(a => a.CustomerIds.Select(c => new TaskItem(c, a.RepId, TaskStatuses.Open, null, null, TaskRules.NothingPushed, first)))
            .ToList();
        await store.WriteAsync(header, items);
        _task = new TaskSnapshot(header, items);
        foreach (var assignment in task.Assignments)
        {
            await PushAsync(() => TaskPushes.AssignedAsync(GrainFactory, header, assignment.RepId, assignment.CustomerIds, now, actor.UserId));
        }

        return _task;
    }

    public async Task<Result<TaskSnapshot>> Complete(CompleteTask command, Actor actor)
    {
        if (_task is not { } task)
        {
            return CrmError.NotFound("Task", TaskId);
        }

        var mine = task.Items.Where(i => i.AssigneeId == actor.UserId).ToList();
        if (mine.Count == 0)
        {
            return CrmError.Forbidden("Only the rep a task's customers are assigned to completes them.");
        }

        var named = command.CustomerIds?.ToHashSet();
        var chosen = mine.Where(i => named is null || named.Contains(i.CustomerId)).ToList();
        if (named is not null && chosen.Count != named.Count)
        {
            return CrmError.Invalid("customerIds", "Name only customers of this task that are assigned to you.");
        }

        var open = chosen.Where(i => i.Status == TaskStatuses.Open).ToList();
        if (open.Count == 0 || task.Header.Status != TaskStatuses.Open)
        {
            return CrmError.Conflict(ErrorCodes.TaskClosed, "Nothing of this task is open for you any more.", new() { ["taskId"] = TaskId });
        }

        var followUp = command.Type ?? TaskRules.FollowUpOf(task.Header.Kind)?.ToString().ToLowerInvariant();
        if (followUp is not null)
        {
            // All or nothing: every customer is asked first, and one the assignee may not follow up refuses the whole completion.
            var standings = await TaskFollowUps.AskAsync(GrainFactory, open.Select(i => i.CustomerId), [TaskFollowUps.AsMember(actor)]);
            if (TaskRules.RefuseCompletion(actor.UserId, open.Select(i => (i.CustomerId, standings[i.CustomerId].Of[0], standings[i.CustomerId].OwnerId))) is { } refusal)
            {
                return refusal;
            }
        }

        var done = new List<TaskItem>();
        CrmError? refused = null;
        try
        {
            foreach (var item in open)
            {
                if (followUp is { } type)
                {
                    // One request id per item: a retry after a failure midway gets the follow-up already recorded, not a second.
                    var recorded = await GrainFactory.GetGrain<ICustomerGrain>(item.CustomerId)
                        .AddFollowUp(new NewFollowUp(type, command.Outcome, command.Text, RequestId: TaskRules.FollowUpRequestId(TaskId, item.CustomerId)), actor);
                    if (recorded.Error is { } error)
                    {
                        // Only when the customer changed hands between the check above and this call: what is on a timeline
                        // already is marked done, the rest stays open, and the refusal is answered.
                        refused = error;
                        break;
                    }
                }

                done.Add(item with { Status = TaskStatuses.Done, Outcome = command.Outcome, DoneAt = clock.GetUtcNow(), NextAlertAt = null });
            }
        }
        finally
        {
            // Also when a call failed (the database away, a silo lost): what was recorded is kept as done. The last open
            // item done closes the task: done, in the same write.
            if (done.Count > 0)
            {
                var completed = done.Select(i => i.CustomerId).ToHashSet();
                var closes = task.Items.All(i => i.Status != TaskStatuses.Open || completed.Contains(i.CustomerId));
                await SaveAsync(closes ? task.Header with { Status = TaskStatuses.Done } : task.Header, done);
            }
        }

        return refused is null ? _task! : refused;
    }

    public async Task<Result<TaskSnapshot>> Reassign(ReassignTask command, Actor actor)
    {
        if (_task is not { } task)
        {
            return CrmError.NotFound("Task", TaskId);
        }

        if (!TaskRules.CanManage(actor, task.Header, await UnitPathAsync(task.Header)))
        {
            return CrmError.Forbidden("Only whoever gave the task, or a manager above its unit, reassigns it.");
        }

        var assignee = await tree.Member(command.ToRepId);
        if (assignee is not { Active: true })
        {
            return CrmError.Invalid("toRepId", "No active user has this id.");
        }

        if (!TaskRules.CanAssignTo(actor, assignee))
        {
            return CrmError.Forbidden(actor.Role == UserRole.Rep ? "A rep gives tasks to itself only." : "Reassign to a user of your unit or below.");
        }

        var named = command.CustomerIds?.ToHashSet();
        var moving = task.Items.Where(i => i.Status == TaskStatuses.Open && i.AssigneeId != command.ToRepId
            && (command.FromRepId is null || i.AssigneeId == command.FromRepId) && (named is null || named.Contains(i.CustomerId))).ToList();
        if (moving.Count == 0 || task.Header.Status != TaskStatuses.Open)
        {
            return CrmError.Conflict(ErrorCodes.TaskClosed, "No open item of this task matches.", new() { ["taskId"] = TaskId });
        }

        var standings = await TaskFollowUps.AskAsync(GrainFactory, moving.Select(i => i.CustomerId), [assignee]);
        if (TaskRules.RefuseAssignment(command.ToRepId, moving.Select(i => (i.CustomerId, standings[i.CustomerId].Of[0], standings[i.CustomerId].OwnerId)),
            nameOwner: false) is { } cannot)
        {
            return cannot;
        }

        // The new assignee hears of it afresh: due and overdue alerts start over for the moved items.
        var first = TaskRules.NextAlertAt(task.Header, TaskRules.NothingPushed);
        await SaveAsync(task.Header, moving.Select(i => i with { AssigneeId = command.ToRepId, AlertStage = TaskRules.NothingPushed, NextAlertAt = first }).ToList());
        await PushAsync(() => TaskPushes.AssignedAsync(GrainFactory, task.Header, command.ToRepId, moving.Select(i => i.CustomerId).ToList(),
            clock.GetUtcNow(), actor.UserId));
        return _task!;
    }

    public async Task<Result<TaskSnapshot>> Cancel(Actor actor)
    {
        if (_task is not { } task)
        {
            return CrmError.NotFound("Task", TaskId);
        }

        if (!TaskRules.CanManage(actor, task.Header, await UnitPathAsync(task.Header)))
        {
            return CrmError.Forbidden("Only whoever gave the task, or a manager above its unit, cancels it.");
        }

        if (task.Header.Status != TaskStatuses.Open)
        {
            return CrmError.Conflict(ErrorCodes.TaskClosed, $"The task is already {task.Header.Status}.", new() { ["taskId"] = TaskId });
        }

        var cancelled = task.Items.Where(i => i.Status == TaskStatuses.Open)
            .Select(i => i with { Status = TaskStatuses.Cancelled, NextAlertAt = null }).ToList();
        await SaveAsync(task.Header with { Status = TaskStatuses.Cancelled }, cancelled);
        return _task!;
    }

    public async Task<int> Alert()
    {
        if (_task is not { } task)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var moved = task.Items.Where(i => i.Status == TaskStatuses.Open && i.NextAlertAt <= now)
            .Select(i => (Item: i, Stage: Math.Max(i.AlertStage, TaskRules.StageAt(task.Header, now)))).ToList();
        var pushes = 0;
        foreach (var group in moved.Where(m => m.Stage > m.Item.AlertStage).GroupBy(m => (m.Item.AssigneeId, m.Stage)))
        {
            var customers = group.Select(m => m.Item.CustomerId).ToList();
            // Awaited: the items are marked only once the push is stored, so a failure here is pushed again by the next sweep.
            await (group.Key.Stage == TaskRules.OverduePushed
                ? TaskPushes.OverdueAsync(GrainFactory, task.Header, group.Key.AssigneeId, customers, now)
                : TaskPushes.DueAsync(GrainFactory, task.Header, group.Key.AssigneeId, customers, now));
            pushes++;
        }

        if (moved.Count > 0)
        {
            await SaveAsync(task.Header, moved.Select(m => m.Item with { AlertStage = m.Stage, NextAlertAt = TaskRules.NextAlertAt(task.Header, m.Stage) }).ToList());
        }

        return pushes;
    }

    private async Task SaveAsync(TaskHeader header, IReadOnlyList<TaskItem> changed)
    {
        await store.WriteAsync(header, changed);
        var byCustomer = changed.ToDictionary(i => i.CustomerId);
        _task = new TaskSnapshot(header, _task!.Items.Select(i => byCustomer.GetValueOrDefault(i.CustomerId) ?? i).ToList());
    }

    private async Task<string?> UnitPathAsync(TaskHeader task) => task.OrgUnitId is null ? null : await tree.PathOf(task.OrgUnitId);

    /// <summary>The task is stored whatever happens to a push: a lost TaskAssigned is logged, the to-do still shows the task.</summary>
    private async Task PushAsync(Func<Task> push)
    {
        try
        {
            await push();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push the assignment of task {TaskId}", TaskId);
        }
    }
}
