namespace Crm.Grains.Contracts;

/// <summary>An instalment as a signed contract's event carries it: number, due date, amount and when it falls overdue.</summary>
[GenerateSerializer, Immutable]
public sealed record PlannedInstalment(
    [property: Id(0)] int No,
    [property: Id(1)] DateOnly DueDate,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] DateTimeOffset OverdueAt);
