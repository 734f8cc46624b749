namespace Crm.Grains.Assignment;

/// <summary>A dry run's answer (<see cref="IAssignmentGrain.Simulate"/>): per lead and per rep; the API adds the counts and the spread.</summary>
[GenerateSerializer, Immutable]
public sealed record Simulation(
    [property: Id(0)] string Strategy,
    [property: Id(1)] IReadOnlyList<SimulatedPick> Decisions,
    [property: Id(2)] IReadOnlyList<RepTally> Distribution,
    [property: Id(3)] IReadOnlyList<string> Faults);

/// <summary>What the strategy decided for one lead (no rep: why not).</summary>
[GenerateSerializer, Immutable]
public sealed record SimulatedPick(
    [property: Id(0)] string LeadId,
    [property: Id(1)] string LeadName,
    [property: Id(2)] string? RepId,
    [property: Id(3)] string Reason,
    [property: Id(4)] string? Strategy);

/// <summary>How many leads a rep received in a run, and its book before and after.</summary>
[GenerateSerializer, Immutable]
public sealed record RepTally(
    [property: Id(0)] string RepId,
    [property: Id(1)] int Received,
    [property: Id(2)] int OwnedBefore,
    [property: Id(3)] int OwnedAfter);
