using Crm.Client;
using Crm.Grains.Push;

namespace Crm.Grains.Tasks;

/// <summary>
/// The pushes of tasks, routed and awaited (stored in the message center before the task moves on). Each carries a key
/// made of what it tells, so a push sent again (a sweep after a crash, two silos sweeping at once) is stored once.
/// </summary>
public static class TaskPushes
{
    public static Task AssignedAsync(IGrainFactory grains, TaskHeader task, string repId, IReadOnlyList<Guid> customers, DateTimeOffset at, string by) =>
        RouteAsync(grains, new TaskAssigned(task.Id, at, repId, task.Title, task.Kind, customers, task.DueAt, by),
            $"task-assigned:{task.Id}:{repId}:{at.ToUnixTimeMilliseconds()}", [PushChannels.Rep(repId)]);

    public static Task DueAsync(IGrainFactory grains, TaskHeader task, string repId, IReadOnlyList<Guid> customers, DateTimeOffset at) =>
        RouteAsync(grains, new TaskDue(task.Id, at, repId, task.Title, customers, task.DueAt),
            $"task-due:{task.Id}:{repId}:{task.DueAt.ToUnixTimeMilliseconds()}", [PushChannels.Rep(repId)]);

    /// <summary>To the rep, and to the managers of the task's unit when someone else gave the task.</summary>
    public static Task OverdueAsync(IGrainFactory grains, TaskHeader task, string repId, IReadOnlyList<Guid> customers, DateTimeOffset at)
    {
        List<string> channels = [PushChannels.Rep(repId)];
        if (task.CreatedBy != repId && task.OrgUnitId is not null)
        {
            channels.Add(PushChannels.Unit(task.OrgUnitId));
        }

        return RouteAsync(grains, new TaskOverdue(task.Id, at, repId, task.Title, customers, task.DueAt),
            $"task-overdue:{task.Id}:{repId}:{task.DueAt.ToUnixTimeMilliseconds()}", channels);
    }

    private static Task RouteAsync(IGrainFactory grains, ICrmPushEvent evt, string key, IReadOnlyList<string> channels)
    {
        var message = EventPublisher.ToMessage(evt) with { Key = key };
        return Task.WhenAll(channels.Select(c => grains.GetGrain<IPushChannelGrain>(c).Route(message)));
    }
}
