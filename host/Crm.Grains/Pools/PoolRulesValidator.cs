using Crm.Client;

namespace Crm.Grains.Pools;

/// <summary>Checks pool rules before they are saved; answers field errors keyed by the JSON path.</summary>
public static class PoolRulesValidator
{
    public static readonly string[] DedupActions = ["block", "flag", "allow"];

    public static readonly string[] MatchStrengths = ["exact", "strong", "weak"];

    public static Dictionary<string, string[]> Validate(PoolRules rules)
    {
        var errors = new Dictionary<string, string[]>();

        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors[field] = [message];
            }
        }

        Check(rules.RecycleAfterDaysWithoutFollowUp is null or >= 1 and <= 3650,
            "rules.recycleAfterDaysWithoutFollowUp", "Must be between 1 and 3650 days, or null for never.");
        Check(rules.RecycleAfterDaysWithoutDeal is null or >= 1 and <= 3650,
            "rules.recycleAfterDaysWithoutDeal", "Must be between 1 and 3650 days, or null for never.");
        Check(rules.RecycleAfterDaysWithoutVisit is null or >= 1 and <= 3650,
            "rules.recycleAfterDaysWithoutVisit", "Must be between 1 and 3650 days, or null for never.");
        Check(rules.ReclaimProtectionDays is >= 0 and <= 3650,
            "rules.reclaimProtectionDays", "Must be between 0 and 3650 days.");
        Check(rules.CapacityPerRep is null or >= 1 and <= 1_000_000,
            "rules.capacityPerRep", "Must be at least 1, or null for no limit.");
        Check(rules.ClaimsPerRepPerDay is null or >= 1 and <= 100_000,
            "rules.claimsPerRepPerDay", "Must be at least 1, or null for no limit.");

        Check(rules.CapacityOverrides is null || rules.CapacityOverrides.All(o => !string.IsNullOrWhiteSpace(o.Key) && o.Value is >= 1 and <= 1_000_000),
            "rules.capacityOverrides", "Each override needs a rep id and a capacity of at least 1.");
        Check(rules.CoolDownHours is null or >= 0 and <= 8760,
            "rules.coolDownHours", "Must be between 0 and 8760 hours, or null for none.");
        Check(rules.CollusionWindowHours is null or >= 1 and <= 8760,
            "rules.collusionWindowHours", "Must be between 1 and 8760 hours, or null to turn the check off.");
        Check(rules.PingPongDays is null or >= 1 and <= 3650,
            "rules.pingPongDays", "Must be between 1 and 3650 days, or null to turn the check off.");

        Check(rules.RecycleToPoolId is null || rules.RecycleToPoolId.Trim().Length is >= 1 and <= 64,
            "rules.recycleToPoolId", "Name a pool id (at most 64 characters), or null for this pool.");
        var clocks = new List<int?> { rules.RecycleAfterDaysWithoutFollowUp, rules.RecycleAfterDaysWithoutDeal, rules.RecycleAfterDaysWithoutVisit };
        foreach (var (level, rule) in rules.ByLevel ?? new Dictionary<string, LevelRecycleRules>())
        {
            var at = $"rules.byLevel.{level}";
            Check(!string.IsNullOrWhiteSpace(level) && level.Trim().Length <= 16, "rules.byLevel", "Each level is named (at most 16 characters).");
            Check(rule is not null, at, "Give the level's recycle clocks.");
            if (rule is null)
            {
                continue;
            }

            Check(rule.RecycleAfterDaysWithoutFollowUp is null or >= 1 and <= 3650,
                $"{at}.recycleAfterDaysWithoutFollowUp", "Must be between 1 and 3650 days, or null for never.");
            Check(rule.RecycleAfterDaysWithoutDeal is null or >= 1 and <= 3650,
                $"{at}.recycleAfterDaysWithoutDeal", "Must be between 1 and 3650 days, or null for never.");
            Check(rule.RecycleAfterDaysWithoutVisit is null or >= 1 and <= 3650,
                $"{at}.recycleAfterDaysWithoutVisit", "Must be between 1 and 3650 days, or null for never.");
            Check(rule.RecycleToPoolId is null || rule.RecycleToPoolId.Trim().Length is >= 1 and <= 64,
                $"{at}.recycleToPoolId", "Name a pool id (at most 64 characters), or null for the pool's destination.");
            if (!rule.Exempt)
            {
                clocks.AddRange([rule.RecycleAfterDaysWithoutFollowUp, rule.RecycleAfterDaysWithoutDeal, rule.RecycleAfterDaysWithoutVisit]);
            }
        }

        Check((rules.ByLevel ?? new Dictionary<string, LevelRecycleRules>()).Keys.Select(k => k.Trim()).Distinct(StringComparer.Ordinal).Count() == (rules.ByLevel?.Count ?? 0),
            "rules.byLevel", "Each level appears once.");

        var warn = rules.WarnDaysBefore ?? [];
        var shortest = clocks.Where(d => d is not null).Min();
        Check(warn.All(d => d >= 1 && (shortest is null || d < shortest)),
            "rules.warnDaysBefore", "Each warning must be at least 1 day and fewer days than the shortest recycle period.");
        Check(warn.Distinct().Count() == warn.Count, "rules.warnDaysBefore", "Warning days must not repeat.");

        // rules.assignment is checked against the loaded strategies by Assignment/AssignmentRuleValidator.

        if (rules.Dedup is { } dedup)
        {
            Check(dedup.Strategies is { Count: > 0 } && dedup.Strategies.All(s => !string.IsNullOrWhiteSpace(s)),
                "rules.dedup.strategies", "Name at least one dedup strategy.");
            Check(DedupActions.Contains(dedup.Action), "rules.dedup.action", "Must be one of: block, flag, allow.");
            foreach (var (strength, action) in dedup.Actions ?? new Dictionary<string, string>())
            {
                Check(MatchStrengths.Contains(strength), $"rules.dedup.actions.{strength}", "Match strengths are: exact, strong, weak.");
                Check(DedupActions.Contains(action), $"rules.dedup.actions.{strength}", "Must be one of: block, flag, allow.");
            }
        }

        return errors;
    }
}
