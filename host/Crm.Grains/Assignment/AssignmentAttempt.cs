namespace Crm.Grains.Assignment;

/// <summary>What happened to one lead: <c>assigned</c>, <c>unassigned</c> (stays in the pool), <c>queued</c> or <c>skipped</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record AssignmentAttempt(
    [property: Id(0)] Guid CustomerId,
    [property: Id(1)] string Outcome,
    [property: Id(2)] string? RepId,
    [property: Id(3)] string? Strategy,
    [property: Id(4)] string Reason,
    [property: Id(5)] IReadOnlyList<string> Faults)
{
    public const string Assigned = "assigned";
    public const string Unassigned = "unassigned";
    public const string Queued = "queued";
    public const string Skipped = "skipped";
}
