namespace Crm.Grains.Sequences;

/// <summary>One step of a sequence: on which working day after enrolment, by which channel, with which message.</summary>
[GenerateSerializer, Immutable]
public sealed record SequenceStep(
    [property: Id(0)] int Day,
    [property: Id(1)] string Channel,
    [property: Id(2)] string Template,
    [property: Id(3)] IReadOnlyList<string> StopOn);

/// <summary>Customers of one rep to enrol in a sequence; the rep's grain dates their steps under the daily cap.</summary>
[GenerateSerializer, Immutable]
public sealed record SequencePlan(
    [property: Id(0)] string SequenceId,
    [property: Id(1)] IReadOnlyList<SequenceStep> Steps,
    [property: Id(2)] IReadOnlyList<Guid> CustomerIds,
    [property: Id(3)] int CapPerDay);

[GenerateSerializer, Immutable]
public sealed record PlanOutcome([property: Id(0)] IReadOnlyList<Guid> Enrolled, [property: Id(1)] IReadOnlyList<Guid> AlreadyEnrolled);

/// <summary>A step as stored (the rep's to-do reads these rows).</summary>
[GenerateSerializer, Immutable]
public sealed record StepRow(
    [property: Id(0)] string SequenceId,
    [property: Id(1)] Guid CustomerId,
    [property: Id(2)] int StepIndex,
    [property: Id(3)] string RepId,
    [property: Id(4)] string Channel,
    [property: Id(5)] DateOnly DueDate,
    [property: Id(6)] DateTimeOffset DueAt,
    [property: Id(7)] string Status,
    [property: Id(8)] string? Outcome,
    [property: Id(9)] DateTimeOffset? DoneAt);

/// <summary>Statuses of steps and enrolments, and why an enrolment stopped.</summary>
public static class SequenceStatuses
{
    public const string Planned = "planned";
    public const string Done = "done";
    public const string Stopped = "stopped";
    public const string Active = "active";

    public const string StopReply = "reply";
    public const string StopWon = "won";
    public const string StopReleased = "released";
    public const string StopRecycled = "recycled";
    public const string StopMerged = "merged";
    public const string StopUnenrolled = "unenrolled";
}
