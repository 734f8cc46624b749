using Crm.Client;

namespace Crm.Grains.Pools;

[GenerateSerializer]
public sealed class PoolState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string OrgUnitId { get; set; } = "";
    [Id(7)] public PoolRuleSet Rules { get; set; } = new();
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public long Version { get; set; }
    /// <summary>Reps that may claim from this pool; empty means the reps of the pool's unit and the units below it.</summary>
    [Id(40)] public List<string> Members { get; set; } = [];
    /// <summary>Suspected collusion cases, newest last, at most <see cref="PoolGrain.MaxCases"/>.</summary>
    [Id(8)] public List<CollusionCase> CollusionCases { get; set; } = [];
}
