namespace Crm.Grains.Pools;

/// <summary>When an owned customer drops back into its public pool and which rule drops it.</summary>
[GenerateSerializer, Immutable]
public sealed record RecycleDeadline(DateTimeOffset At, string Rule, int Days)
{
    public const string NoFollowUp = "no-follow-up";
    public const string NoDeal = "no-deal";
    public const string NoVisit = "no-visit";

    /// <summary>The sentence the timeline and the rep read.</summary>
    public string Reason => $"no {Rule switch { NoFollowUp => "follow-up", NoVisit => "visit", _ => "deal" }} for {Days} day{(Days == 1 ? "" : "s")}";
}
