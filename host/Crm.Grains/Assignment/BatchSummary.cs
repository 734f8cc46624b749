namespace Crm.Grains.Assignment;

/// <summary>The result of one batch or sweep: how many leads were looked at, assigned, and left waiting.</summary>
[GenerateSerializer, Immutable]
public sealed record BatchSummary([property: Id(0)] int Considered, [property: Id(1)] int Assigned, [property: Id(2)] int Unassigned)
{
    public static BatchSummary Of(IReadOnlyCollection<AssignmentAttempt> attempts) => new(attempts.Count,
        attempts.Count(a => a.Outcome == AssignmentAttempt.Assigned), attempts.Count(a => a.Outcome == AssignmentAttempt.Unassigned));
}
