namespace Crm.Grains.Reps;

/// <summary>An entry of a rep's private pool: which customer, from which pool, since when.</summary>
[GenerateSerializer, Immutable]
public sealed record OwnedCustomer(Guid CustomerId, string PoolId, DateTimeOffset Since);
