using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>A step of a nurturing sequence: on which working day after enrolment (0: the enrolment day), by which channel, which message.</summary>
public sealed record SequenceStepRequest([property: Range(0, 365)] int? Day, string? Channel, string? Template, IReadOnlyList<string>? StopOn = null);

/// <summary><c>POST /api/sequences</c>; the sequence belongs to <c>orgUnitId</c> (default: the caller's unit).</summary>
public sealed record CreateSequenceRequest([property: MaxLength(200)] string? Name, IReadOnlyList<SequenceStepRequest>? Steps, [property: MaxLength(64)] string? OrgUnitId = null);

public sealed record SequenceStepDto(int Day, string Channel, string Template, IReadOnlyList<string> StopOn);

/// <summary>A sequence; <c>stopOutcomes</c>: follow-up outcomes that stop a customer's enrolment (its steps' and the server's positive ones).</summary>
public sealed record SequenceDto(string Id, string Name, string? OrgUnitId, string CreatedBy, DateTimeOffset CreatedAt,
    IReadOnlyList<SequenceStepDto> Steps, IReadOnlyList<string> StopOutcomes);

public sealed record EnrolRequest(IReadOnlyList<Guid>? CustomerIds);

/// <summary>A customer not enrolled, and why: <c>already-enrolled</c> or <c>unowned</c> (steps are the owner's work).</summary>
public sealed record EnrolSkip(Guid CustomerId, string Reason);

public sealed record EnrolResult(int Enrolled, IReadOnlyList<EnrolSkip> Skipped);

/// <summary>
/// A step in a rep's to-do, with the message rendered for the customer (<c>message</c>; <c>messageError</c> when the
/// template failed for this customer). <c>status</c>: planned, done or stopped; due means planned and <c>dueAt</c> passed.
/// </summary>
public sealed record SequenceStepItemDto(string SequenceId, string SequenceName, Guid CustomerId, string? CustomerName, int StepIndex, int Day,
    string Channel, string DueDate, DateTimeOffset DueAt, string Status, string? Message, string? MessageError, string? Outcome, DateTimeOffset? DoneAt,
    SequenceDeliveryDto? Delivery = null);

/// <summary>
/// What the message channel did with a step: <c>waiting</c> (not tried yet), <c>retrying</c> (failed, tried again at
/// <c>NextAttemptAt</c>), <c>sent</c>, <c>prepared</c> (left for the rep to send by hand), <c>failed</c> (given up: the rep
/// sends it by hand), <c>skipped</c> (done or stopped before it was tried).
/// </summary>
public sealed record SequenceDeliveryDto(string State, string? Channel, int Attempts, string? LastError, DateTimeOffset? At, DateTimeOffset? NextAttemptAt);

/// <summary>Marks a step done: records a follow-up on the customer (the channel's type) with this outcome.</summary>
public sealed record CompleteStepRequest([property: MaxLength(200)] string? Outcome, string? Text = null);
