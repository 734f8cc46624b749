using Crm.Grains.Common;

namespace Crm.Grains.Tasks;

/// <summary>
/// One task (key: task id) and its items, one per customer, each with its assignee. The single writer of the task's
/// rows; the rep's to-do and the progress view read the tables.
/// </summary>
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>Stores the task and pushes TaskAssigned to each assignee; creating one that exists answers it as it is.</summary>
    Task<Result<TaskSnapshot>> Create(NewTask task, Actor actor);

    Task<TaskSnapshot?> Get();

    /// <summary>Completes the caller's open items (recording follow-ups when the kind says so).</summary>
    Task<Result<TaskSnapshot>> Complete(CompleteTask command, Actor actor);

    Task<Result<TaskSnapshot>> Reassign(ReassignTask command, Actor actor);

    Task<Result<TaskSnapshot>> Cancel(Actor actor);

    /// <summary>Pushes TaskDue and TaskOverdue for the open items whose time has come; answers how many pushes.</summary>
    Task<int> Alert();
}
