namespace Crm.Grains.Pools;

/// <summary>
/// What the checks on a customer need of its pool, in one read: its unit, its members if it lists them, and its rules.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PoolAccess(
    [property: Id(0)] string OrgUnitId,
    [property: Id(1)] IReadOnlyList<string> Members,
    [property: Id(2)] PoolRuleSet? Rules = null);
