namespace Crm.Grains.Customers.Events;

/// <summary>This customer was merged into <see cref="SurvivorId"/>: from now on it only redirects there.</summary>
public sealed record MergedAway(DateTimeOffset At, string? ActorId, Guid SurvivorId, string? OwnerId, string? Reason) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.MergedInto;

    public override void ApplyTo(CustomerState state)
    {
        state.MergedInto = SurvivorId;
        state.OwnerBeforeMerge = OwnerId;
        state.Exists = false;
    }

    public override TimelineFields Describe() =>
        new(Reason, null, new() { ["survivorId"] = SurvivorId.ToString(), ["ownerId"] = OwnerId });
}
