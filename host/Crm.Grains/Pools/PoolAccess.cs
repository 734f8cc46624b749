namespace Crm.Grains.Pools;

/// <summary>What the permission checks need of a pool: its unit and, if it lists them, its members.</summary>
[GenerateSerializer, Immutable]
public sealed record PoolAccess([property: Id(0)] string OrgUnitId, [property: Id(1)] IReadOnlyList<string> Members);
