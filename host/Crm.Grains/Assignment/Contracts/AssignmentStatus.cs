using Crm.Grains.Pools;

namespace Crm.Grains.Assignment;

/// <summary>The state of a pool's automatic assignment (<see cref="IAssignmentGrain.GetStatus"/>), mapped to <c>AssignmentStatusDto</c> by the API.</summary>
[GenerateSerializer, Immutable]
public sealed record AssignmentStatus(
    [property: Id(0)] string PoolId,
    [property: Id(1)] AssignmentSettings? Rule,
    [property: Id(2)] long Assigned,
    [property: Id(3)] long FellBack,
    [property: Id(4)] int Pending,
    [property: Id(5)] string? LastFault,
    [property: Id(6)] DateTimeOffset? LastFaultAt,
    [property: Id(7)] IReadOnlyList<WaitingLead> Unassigned);

/// <summary>A lead no rep could take, since when, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record WaitingLead([property: Id(0)] Guid CustomerId, [property: Id(1)] string Reason, [property: Id(2)] DateTimeOffset Since);
