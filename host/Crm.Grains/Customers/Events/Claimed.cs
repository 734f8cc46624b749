namespace Crm.Grains.Customers.Events;

/// <summary>A rep took the customer from its public pool into the rep's private pool.</summary>
public sealed record Claimed(DateTimeOffset At, string? ActorId, string RepId) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Claimed;

    public override void ApplyTo(CustomerState state)
    {
        state.OwnerId = RepId;
        state.OwnedSince = At;
        state.RememberOwnership(Kind, RepId, At);
    }

    public override TimelineFields Describe() => new(null, null, new() { ["repId"] = RepId });
}
