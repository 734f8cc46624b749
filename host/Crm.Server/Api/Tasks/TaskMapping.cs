using Crm.Client;
using Crm.Grains.Tasks;

namespace Crm.Server.Api.Tasks;

/// <summary>The grain's task to the wire record; a caller who may not manage the task sees only its own items.</summary>
public static class TaskMapping
{
    public static TaskDto ToDto(this TaskSnapshot task, string? onlyFor = null)
    {
        var h = task.Header;
        return new TaskDto(h.Id, h.Title, h.Kind, h.DueAt, h.Goal, h.Notes, h.CreatedBy, h.OrgUnitId, h.CreatedAt, h.Status,
            task.Items.Where(i => onlyFor is null || i.AssigneeId == onlyFor)
                .Select(i => new TaskItemDto(i.CustomerId, i.AssigneeId, i.Status, i.Outcome, i.DoneAt)).ToList(),
            h.SequenceId);
    }
}
