using Crm.Grains.Pools;

namespace Crm.Grains.Reps;

/// <summary>The limits of the pool a customer comes from, checked by the rep grain when it takes one more.</summary>
[GenerateSerializer, Immutable]
public sealed record OwnershipLimits(int? CapacityPerRep, int? ClaimsPerRepPerDay)
{
    public static OwnershipLimits None { get; } = new(null, null);

    /// <summary>The pool's limits for one rep: its own capacity where the rules override it.</summary>
    public static OwnershipLimits Of(PoolRuleSet? rules, string repId) =>
        rules is null
            ? None
            : new(rules.CapacityOverrides?.GetValueOrDefault(repId) is > 0 and var own ? own : rules.CapacityPerRep, rules.ClaimsPerRepPerDay);
}
