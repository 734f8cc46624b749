using Crm.Grains.Common;

namespace Crm.Grains.Pools;

/// <summary>A public pool (key: pool id): its rules, the org unit it belongs to and the collusion cases found in it.</summary>
public interface IPoolGrain : IGrainWithStringKey
{
    Task<Result<PoolInfo>> Create(string name, string orgUnitId, PoolRuleSet rules);

    Task<PoolInfo?> Get();

    /// <summary>The rules and their version, or null when the pool does not exist.</summary>
    [AlwaysInterleave]
    Task<PoolRulesSnapshot?> GetRules();

    Task<Result<PoolInfo>> UpdateRules(PoolRuleSet rules);

    /// <summary>The pool's unit and member list, for the permission checks; null when the pool does not exist.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<PoolAccess?> GetAccess();

    /// <summary>Replaces the member list; an empty list lets the org tree decide (the reps below the pool's unit).</summary>
    Task<Result<PoolAccess>> SetMembers(IReadOnlyList<string> members);

    /// <summary>Records a suspected collusion found by a customer grain on a claim; the same case twice is kept once.</summary>
    Task ReportCollusion(CollusionCase found);

    /// <summary>The cases found in this pool, newest first.</summary>
    Task<IReadOnlyList<CollusionCase>> GetCollusionCases();
}
