using System.ComponentModel.DataAnnotations;

namespace Crm.Client;

/// <summary>The kinds of task (<c>kind</c>); a call, visit or follow-up task records a follow-up when completed.</summary>
public static class TaskKinds
{
    public const string Call = "call";
    public const string Visit = "visit";
    public const string FollowUp = "follow-up";
    public const string Custom = "custom";

    public static readonly IReadOnlyList<string> All = [Call, Visit, FollowUp, Custom];
}

/// <summary>How a split spreads customers over the reps of a unit (<c>split.by</c>).</summary>
public static class TaskSplitModes
{
    /// <summary>In turn, so counts differ by one at most.</summary>
    public const string Even = "even";

    /// <summary>Each next customer to the rep carrying the least (owned customers and open task items).</summary>
    public const string Capacity = "capacity";

    public static readonly IReadOnlyList<string> All = [Even, Capacity];
}

/// <summary>The status filters of a rep's to-do and the states of a task's items.</summary>
public static class TaskStatuses
{
    public const string Open = "open";
    public const string Due = "due";
    public const string Overdue = "overdue";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> Filters = [Open, Due, Overdue, Done, Cancelled];
}

public sealed record TaskSplit(string? OrgUnitId, string? By);

/// <summary><c>POST /api/tasks</c>: to one assignee, or split over the reps of a unit.</summary>
public sealed record CreateTaskRequest(
    [property: MaxLength(200)] string? Title, string? Kind, IReadOnlyList<Guid>? CustomerIds, DateTimeOffset? DueAt,
    [property: MaxLength(64)] string? AssigneeId = null, TaskSplit? Split = null, [property: MaxLength(200)] string? Goal = null, string? Notes = null);

public sealed record TaskItemDto(Guid CustomerId, string AssigneeId, string Status, string? Outcome, DateTimeOffset? DoneAt);

public sealed record TaskDto(
    string Id, string Title, string Kind, DateTimeOffset DueAt, string? Goal, string? Notes, string CreatedBy, string? OrgUnitId,
    DateTimeOffset CreatedAt, string Status, IReadOnlyList<TaskItemDto> Items, string? SequenceId = null);

/// <summary>One task in a rep's to-do: the rep's customers of it that have the asked status.</summary>
public sealed record RepTaskDto(
    string TaskId, string Title, string Kind, DateTimeOffset DueAt, string Status, IReadOnlyList<Guid> CustomerIds,
    int Open, int Done, string? Goal, string? Notes, string CreatedBy, string? SequenceId = null);

/// <summary>
/// Completes the caller's open items of the task (the ones named, or all of them) with an outcome. A call, visit or
/// follow-up task records a follow-up on each customer's timeline (<c>type</c>: by default the kind's own, a call for
/// follow-up tasks).
/// </summary>
public sealed record CompleteTaskRequest([property: MaxLength(200)] string? Outcome, IReadOnlyList<Guid>? CustomerIds = null, string? Text = null, FollowUpType? Type = null);

/// <summary>Moves open items to another rep: those of <c>fromRepId</c>, those named, or all open ones.</summary>
public sealed record ReassignTaskRequest([property: MaxLength(64)] string? ToRepId, [property: MaxLength(64)] string? FromRepId = null, IReadOnlyList<Guid>? CustomerIds = null);

public sealed record TaskRepProgressDto(string RepId, int Total, int Open, int Done, int Converted, int Overdue);

/// <summary>
/// The manager's view of a task: items done, customers converted since the task was given (now at stage customer, or
/// a deal won since), open items past their due time.
/// </summary>
public sealed record TaskProgressDto(string TaskId, int Total, int Open, int Done, int Cancelled, int Converted, int Overdue,
    IReadOnlyList<TaskRepProgressDto> Reps);
