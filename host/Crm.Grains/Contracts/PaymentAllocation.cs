namespace Crm.Grains.Contracts;

/// <summary>The part of a payment (or, negative, of a refund) that went to one instalment.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentAllocation([property: Id(0)] int InstalmentNo, [property: Id(1)] decimal Amount);
