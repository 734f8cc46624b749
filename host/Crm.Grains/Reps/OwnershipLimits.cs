namespace Crm.Grains.Reps;

/// <summary>The limits of the pool a customer comes from, checked by the rep grain when it takes one more.</summary>
[GenerateSerializer, Immutable]
public sealed record OwnershipLimits(int? CapacityPerRep, int? ClaimsPerRepPerDay)
{
    public static OwnershipLimits None { get; } = new(null, null);
}
