using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>
/// Addresses that belong to an org unit. Every criterion that is set must match the customer's address: province,
/// city and district as written in it, the postcode by prefix. New leads whose address matches go to <c>PoolId</c>
/// (a pool of the unit or below it), and only reps under the unit may own them.
/// </summary>
public sealed record RegionRequest([property: MaxLength(100)] string? Name, [property: MaxLength(64)] string? OrgUnitId, [property: MaxLength(64)] string? PoolId, [property: MaxLength(100)] string? Province = null, [property: MaxLength(100)] string? City = null,
    [property: MaxLength(100)] string? District = null, [property: MaxLength(10)] string? PostcodePrefix = null);

public sealed record RegionDto(string Id, string Name, string OrgUnitId, string PoolId, string? Province, string? City,
    string? District, string? PostcodePrefix, DateTimeOffset CreatedAt);
