namespace Crm.Grains.Pools;

/// <summary>A pool's rules with the version that rises on every change; rep grains compare versions to recompute deadlines.</summary>
[GenerateSerializer, Immutable]
public sealed record PoolRulesSnapshot(PoolRuleSet Rules, long Version);
