namespace Crm.Grains.Contracts;

/// <summary>A payment received on a contract (negative: a refund, which carries a reason), as the API validated it.</summary>
[GenerateSerializer, Immutable]
public sealed record NewPayment(
    [property: Id(0)] decimal Amount,
    [property: Id(1)] DateTimeOffset ReceivedAt,
    [property: Id(2)] string Method,
    [property: Id(3)] string? Reference,
    [property: Id(4)] string? Reason);
