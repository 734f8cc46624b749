namespace Crm.Grains.Contracts;

/// <summary>A contract to sign on a won deal, as the API validated it (number trimmed, plan in due order, amounts within bounds).</summary>
[GenerateSerializer, Immutable]
public sealed record NewContract(
    [property: Id(0)] string Number,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] DateTimeOffset SignedAt,
    [property: Id(3)] IReadOnlyList<PlanLine> Plan);

/// <summary>One line of a requested payment plan.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanLine([property: Id(0)] DateOnly DueDate, [property: Id(1)] decimal Amount);
