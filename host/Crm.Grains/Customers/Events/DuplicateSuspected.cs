namespace Crm.Grains.Customers.Events;

/// <summary>The dedup rule flagged another customer as possibly the same one (for a manager's review).</summary>
public sealed record DuplicateSuspected(DateTimeOffset At, string? ActorId, Guid DuplicateOf, string MatchedKey, string Strategy)
    : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DuplicateFlagged;

    public override void ApplyTo(CustomerState state) => state.FlagDuplicate(DuplicateOf);

    public override TimelineFields Describe() => new(null, null, new()
    {
        ["duplicateOf"] = DuplicateOf.ToString(),
        ["matchedKey"] = MatchedKey,
        ["strategy"] = Strategy,
    });
}
