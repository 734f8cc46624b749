namespace Crm.Grains.Tasks;

/// <summary>What a task is, apart from its items. The grain's own type: mapped to the wire records at the API edge.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskHeader(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? Goal,
    [property: Id(4)] string? Notes,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] string? OrgUnitId,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset DueAt,
    [property: Id(9)] DateTimeOffset DueAlertAt,
    [property: Id(10)] string Status,
    [property: Id(11)] string? SequenceId = null);

/// <summary>One customer of a task, with the rep who has it and how far its alerts have gone.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskItem(
    [property: Id(0)] Guid CustomerId,
    [property: Id(1)] string AssigneeId,
    [property: Id(2)] string Status,
    [property: Id(3)] string? Outcome,
    [property: Id(4)] DateTimeOffset? DoneAt,
    [property: Id(5)] int AlertStage,
    [property: Id(6)] DateTimeOffset? NextAlertAt);

[GenerateSerializer, Immutable]
public sealed record TaskSnapshot([property: Id(0)] TaskHeader Header, [property: Id(1)] IReadOnlyList<TaskItem> Items);

/// <summary>Customers for one rep, as the API resolved them (an assignee, or a split).</summary>
[GenerateSerializer, Immutable]
public sealed record TaskAssignment([property: Id(0)] string RepId, [property: Id(1)] IReadOnlyList<Guid> CustomerIds);

/// <summary>A task to create: checked by the API (fields, the caller's reach), stored and pushed by the grain.</summary>
[GenerateSerializer, Immutable]
public sealed record NewTask(
    [property: Id(0)] string Title,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? Goal,
    [property: Id(3)] string? Notes,
    [property: Id(4)] string? OrgUnitId,
    [property: Id(5)] DateTimeOffset DueAt,
    [property: Id(6)] IReadOnlyList<TaskAssignment> Assignments,
    [property: Id(7)] string? SequenceId = null);

/// <summary>
/// Completing a rep's items: the customers (null: all of the rep's open ones), the outcome, and the follow-up's text and
/// type in lower case ("call", "visit", …; null: the task kind's). Id 3 held the API's enum and is not reused.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompleteTask(
    [property: Id(0)] IReadOnlyList<Guid>? CustomerIds,
    [property: Id(1)] string Outcome,
    [property: Id(2)] string? Text,
    [property: Id(4)] string? Type);

/// <summary>Moving open items to another rep.</summary>
[GenerateSerializer, Immutable]
public sealed record ReassignTask(
    [property: Id(0)] string ToRepId,
    [property: Id(1)] string? FromRepId,
    [property: Id(2)] IReadOnlyList<Guid>? CustomerIds);
