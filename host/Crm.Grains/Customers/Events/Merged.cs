namespace Crm.Grains.Customers.Events;

/// <summary>
/// Another customer was merged into this one. Its history is not copied: <see cref="LinkedIds"/> (the other and
/// whatever had been merged into it) join this customer's timeline. Empty profile fields are filled from the other.
/// </summary>
public sealed record Merged(
    DateTimeOffset At,
    string? ActorId,
    Guid DuplicateId,
    IReadOnlyList<Guid> LinkedIds,
    string? PreviousOwnerId,
    string? Reason,
    CustomerProfile? FilledProfile,
    IReadOnlyList<string> DedupKeys,
    DateTimeOffset? LastFollowUpAt) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Merged;

    public override void ApplyTo(CustomerState state)
    {
        state.Profile = FilledProfile ?? state.Profile;
        state.DedupKeys = state.DedupKeys.Union(DedupKeys).ToList();
        state.LinkMerged(LinkedIds);
        state.UnflagDuplicate(DuplicateId);
        if (LastFollowUpAt > state.LastFollowUpAt || state.LastFollowUpAt is null)
        {
            state.LastFollowUpAt = LastFollowUpAt ?? state.LastFollowUpAt;
        }
    }

    public override TimelineFields Describe() =>
        new(Reason, null, new() { ["mergedFrom"] = DuplicateId.ToString(), ["previousOwnerId"] = PreviousOwnerId });
}
