using Crm.Client;

namespace Crm.Grains.Pools;

/// <summary>
/// Maps the pool's wire types (<c>Crm.Client</c>) to the grains' own and back. Only the API edge (and the few grain
/// answers that are still wire types) call it; stored state never holds a wire type.
/// </summary>
public static class PoolWireMapping
{
    public static PoolRuleSet ToRuleSet(this PoolRules r) => new()
    {
        RecycleAfterDaysWithoutFollowUp = r.RecycleAfterDaysWithoutFollowUp,
        RecycleAfterDaysWithoutDeal = r.RecycleAfterDaysWithoutDeal,
        RecycleAfterDaysWithoutVisit = r.RecycleAfterDaysWithoutVisit,
        WarnDaysBefore = r.WarnDaysBefore ?? [],
        ReclaimProtectionDays = r.ReclaimProtectionDays,
        CapacityPerRep = r.CapacityPerRep,
        ClaimsPerRepPerDay = r.ClaimsPerRepPerDay,
        CapacityOverrides = r.CapacityOverrides,
        ExemptCustomers = r.ExemptCustomers,
        CoolDownHours = r.CoolDownHours,
        CollusionWindowHours = r.CollusionWindowHours,
        PingPongDays = r.PingPongDays,
        Assignment = r.Assignment?.ToSettings(),
        Dedup = r.Dedup is { } d ? new DedupPolicy(d.Strategies, d.Action) { Actions = d.Actions } : null,
        RecycleToPoolId = TrimOrNull(r.RecycleToPoolId),
        ByLevel = r.ByLevel?.ToDictionary(l => l.Key.Trim(), l => new LevelRecycleRule
        {
            RecycleAfterDaysWithoutFollowUp = l.Value.RecycleAfterDaysWithoutFollowUp,
            RecycleAfterDaysWithoutDeal = l.Value.RecycleAfterDaysWithoutDeal,
            RecycleAfterDaysWithoutVisit = l.Value.RecycleAfterDaysWithoutVisit,
            Exempt = l.Value.Exempt,
            RecycleToPoolId = TrimOrNull(l.Value.RecycleToPoolId),
        }, StringComparer.Ordinal),
    };

    public static PoolRules ToWire(this PoolRuleSet r) => new()
    {
        RecycleAfterDaysWithoutFollowUp = r.RecycleAfterDaysWithoutFollowUp,
        RecycleAfterDaysWithoutDeal = r.RecycleAfterDaysWithoutDeal,
        RecycleAfterDaysWithoutVisit = r.RecycleAfterDaysWithoutVisit,
        WarnDaysBefore = r.WarnDaysBefore,
        ReclaimProtectionDays = r.ReclaimProtectionDays,
        CapacityPerRep = r.CapacityPerRep,
        ClaimsPerRepPerDay = r.ClaimsPerRepPerDay,
        CapacityOverrides = r.CapacityOverrides,
        ExemptCustomers = r.ExemptCustomers,
        CoolDownHours = r.CoolDownHours,
        CollusionWindowHours = r.CollusionWindowHours,
        PingPongDays = r.PingPongDays,
        Assignment = r.Assignment?.ToWire(),
        Dedup = r.Dedup is { } d ? new DedupRule(d.Strategies, d.Action) { Actions = d.Actions } : null,
        RecycleToPoolId = r.RecycleToPoolId,
        ByLevel = r.ByLevel?.ToDictionary(l => l.Key, l => new LevelRecycleRules
        {
            RecycleAfterDaysWithoutFollowUp = l.Value.RecycleAfterDaysWithoutFollowUp,
            RecycleAfterDaysWithoutDeal = l.Value.RecycleAfterDaysWithoutDeal,
            RecycleAfterDaysWithoutVisit = l.Value.RecycleAfterDaysWithoutVisit,
            Exempt = l.Value.Exempt,
            RecycleToPoolId = l.Value.RecycleToPoolId,
        }),
    };

    private static string? TrimOrNull(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static AssignmentSettings ToSettings(this AssignmentRule a) => new(a.Strategy, a.Options, a.Mode, a.Fallback, a.BatchEveryMinutes);

    public static AssignmentRule ToWire(this AssignmentSettings a) => new(a.Strategy, a.Options, a.Mode, a.Fallback, a.BatchEveryMinutes);

    public static PoolDto ToWire(this PoolInfo p) => new(p.Id, p.Name, p.OrgUnitId, p.Rules.ToWire(), p.CreatedAt);

    public static CollusionCaseDto ToWire(this CollusionCase c) =>
        new(c.Kind, c.CustomerId, c.FromRepId, c.ToRepId, c.DetectedAt, c.Evidence.Select(e => new CollusionEvidence(e.Kind, e.RepId, e.At)).ToList());

    public static CollusionCase FromWire(this CollusionCaseDto c) =>
        new(c.Kind, c.CustomerId, c.FromRepId, c.ToRepId, c.DetectedAt, c.Evidence.Select(e => new CollusionStep(e.Kind, e.RepId, e.At)).ToList());
}
