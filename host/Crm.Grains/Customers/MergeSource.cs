namespace Crm.Grains.Customers;

/// <summary>
/// What a customer merged into another hands over: its profile, the customers merged into it before (their histories
/// are linked on), its dedup keys and who owned it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MergeSource(
    [property: Id(0)] CustomerView Customer,
    [property: Id(1)] IReadOnlyList<Guid> MergedFrom,
    [property: Id(2)] List<string> DedupKeys,
    [property: Id(3)] string? OwnerId);
