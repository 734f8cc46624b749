namespace Crm.Grains.Pools;

/// <summary>One row of the <c>pools</c> read-model table.</summary>
public sealed record PoolRow(string Id, string Name, string OrgUnitId, string RulesJson, long CreatedMs, long Version);
