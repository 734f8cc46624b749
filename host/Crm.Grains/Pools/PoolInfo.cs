namespace Crm.Grains.Pools;

/// <summary>What a pool grain answers about itself; the API maps it to <c>Crm.Client.PoolDto</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PoolInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string OrgUnitId,
    [property: Id(3)] PoolRuleSet Rules,
    [property: Id(4)] DateTimeOffset CreatedAt);
