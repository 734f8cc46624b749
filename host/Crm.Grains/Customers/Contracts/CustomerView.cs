using Crm.Grains.CustomFields;

namespace Crm.Grains.Customers;

/// <summary>
/// A customer as the customer grain answers it: the grain's own record (stable ids, copied for free between grains),
/// mapped to the API's <c>CustomerDto</c> at the API edge only. <see cref="CustomFields"/> is null when the card has none.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CustomerView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Company,
    [property: Id(3)] string? Phone,
    [property: Id(4)] string? Email,
    [property: Id(5)] string? TaxId,
    [property: Id(6)] string? Address,
    [property: Id(7)] string? Source,
    [property: Id(8)] CustomerStage Stage,
    [property: Id(9)] string PoolId,
    [property: Id(10)] string? OwnerId,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] DateTimeOffset? LastFollowUpAt,
    [property: Id(14)] long Version,
    [property: Id(15)] string? Industry = null,
    [property: Id(16)] string? Region = null,
    [property: Id(17)] string? Language = null,
    [property: Id(18)] string? Level = null,
    [property: Id(19)] IReadOnlyDictionary<string, CustomValue>? CustomFields = null)
{
    /// <summary>The contact fields as one profile (not serialized: made from the fields above).</summary>
    public CustomerProfile Profile => new(Name, Company, Phone, Email, TaxId, Address, Source);
}
