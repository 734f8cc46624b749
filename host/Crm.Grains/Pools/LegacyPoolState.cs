using Crm.Client;

namespace Crm.Grains.Pools;

/// <summary>
/// A pool's stored state as it was while its rules and collusion cases were the API's wire types (fields 3 and 6),
/// read from old state blobs by the start-up migration. A blob written since has neither field: both read as null.
/// </summary>
[GenerateSerializer]
public sealed class LegacyPoolState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string OrgUnitId { get; set; } = "";
    [Id(3)] public PoolRules? Rules { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public long Version { get; set; }
    [Id(40)] public List<string> Members { get; set; } = [];
    [Id(6)] public List<CollusionCaseDto>? CollusionCases { get; set; }

    public bool IsLegacy => Rules is not null || CollusionCases is not null;

    /// <summary>The same pool in today's stored types.</summary>
    public PoolState Upgrade() => new()
    {
        Exists = Exists,
        Name = Name,
        OrgUnitId = OrgUnitId,
        Rules = Rules?.ToRuleSet() ?? new PoolRuleSet(),
        CreatedAt = CreatedAt,
        Version = Version,
        Members = Members,
        CollusionCases = CollusionCases?.Select(c => c.FromWire()).ToList() ?? [],
    };
}
