namespace Crm.Grains.Org;

/// <summary>
/// Addresses that belong to an org unit: every criterion that is set must match (province, city and district
/// as words in the address, the postcode by prefix). Leads that match go to <see cref="PoolId"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegionDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string OrgUnitId,
    [property: Id(3)] string PoolId,
    [property: Id(4)] string? Province,
    [property: Id(5)] string? City,
    [property: Id(6)] string? District,
    [property: Id(7)] string? PostcodePrefix);
