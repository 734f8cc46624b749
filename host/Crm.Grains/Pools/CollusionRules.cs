namespace Crm.Grains.Pools;

/// <summary>
/// Spots the release/claim patterns reps use to game the pool (DOMAIN.md, "Anti-collusion"), from one
/// customer's ownership history at the moment of a claim:
/// <list type="bullet">
/// <item><c>quick-handover</c>: rep A released it (or let it drop) and rep B claims it within the window;</item>
/// <item><c>ping-pong</c>: A released it, B claimed it, B gave it back, and A claims it again (typically right
/// after A's reclaim protection ended), all within the ping-pong period.</item>
/// </list>
/// </summary>
public static class CollusionRules
{
    public const string QuickHandover = "quick-handover";
    public const string PingPong = "ping-pong";

    public const string Released = "released";
    public const string Recycled = "recycled";
    public const string Claimed = "claimed";
    public const string Assigned = "assigned";

    /// <param name="history">The customer's ownership events before this claim, oldest first.</param>
    public static IReadOnlyList<CollusionCase> Detect(
        Guid customerId, IReadOnlyList<CollusionStep> history, string claimer, DateTimeOffset now, PoolRuleSet rules)
    {
        var found = new List<CollusionCase>();
        if (history.Count == 0)
        {
            return found;
        }

        var claim = new CollusionStep(Claimed, claimer, now);
        var last = history[^1];
        if (!IsLetGo(last) || last.RepId == claimer)
        {
            return found;
        }

        if (rules.CollusionWindowHours is { } hours && now - last.At <= TimeSpan.FromHours(hours))
        {
            found.Add(new CollusionCase(QuickHandover, customerId, last.RepId, claimer, now, [last, claim]));
        }

        if (rules.PingPongDays is { } days && history.Count >= 3)
        {
            var partnerTook = history[^2];
            var firstLetGo = history[^3];
            if (partnerTook.Kind == Claimed && partnerTook.RepId == last.RepId
                && IsLetGo(firstLetGo) && firstLetGo.RepId == claimer
                && now - firstLetGo.At <= TimeSpan.FromDays(days))
            {
                found.Add(new CollusionCase(PingPong, customerId, claimer, last.RepId, now, [firstLetGo, partnerTook, last, claim]));
            }
        }

        return found;
    }

    private static bool IsLetGo(CollusionStep e) => e.Kind is Released or Recycled;
}
