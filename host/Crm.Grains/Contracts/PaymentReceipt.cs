namespace Crm.Grains.Contracts;

/// <summary>What recording a payment answers: the payment, how it was allocated, and the contract's totals after it.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentReceipt(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] string ContractId,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] DateTimeOffset ReceivedAt,
    [property: Id(5)] string Method,
    [property: Id(6)] string? Reference,
    [property: Id(7)] string? Reason,
    [property: Id(8)] IReadOnlyList<PaymentAllocation> Allocations,
    [property: Id(9)] string? RecordedBy,
    [property: Id(10)] DateTimeOffset RecordedAt);
