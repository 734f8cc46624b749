namespace Crm.Grains.Customers;

/// <summary>One ownership change kept in the snapshot: what the anti-collusion checks compare.</summary>
[GenerateSerializer, Immutable]
public sealed record OwnershipChange(
    [property: Id(0)] string Kind,
    [property: Id(1)] string RepId,
    [property: Id(2)] DateTimeOffset At);
