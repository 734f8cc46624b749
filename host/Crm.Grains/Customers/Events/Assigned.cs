namespace Crm.Grains.Customers.Events;

/// <summary>
/// A manager's hand, or an assignment rule, gave the customer to a rep. A rule's assignment names its
/// <see cref="Strategy"/>, what triggered it and whether the strategy fell back to the default.
/// </summary>
public sealed record Assigned(
    DateTimeOffset At,
    string? ActorId,
    string RepId,
    string? PreviousOwnerId,
    string? Reason,
    string? Strategy = null,
    string? Trigger = null,
    bool FellBack = false) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Assigned;

    public override void ApplyTo(CustomerState state)
    {
        state.OwnerId = RepId;
        state.OwnedSince = At;
        state.RememberOwnership(Kind, RepId, At);
    }

    public override TimelineFields Describe() => Strategy is null
        ? new(Reason, null, new() { ["repId"] = RepId, ["previousOwnerId"] = PreviousOwnerId })
        : new(Reason, null, new()
        {
            ["repId"] = RepId,
            ["strategy"] = Strategy,
            ["trigger"] = Trigger,
            ["fellBack"] = FellBack ? "true" : "false",
        });
}
