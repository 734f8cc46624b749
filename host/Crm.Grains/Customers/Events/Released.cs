namespace Crm.Grains.Customers.Events;

/// <summary>
/// The owner (or a manager for it) let the customer go back to its public pool. The owner is locked out until
/// <see cref="LockedUntil"/> (reclaim protection); nobody may claim it before <see cref="CoolDownUntil"/>.
/// </summary>
public sealed record Released(
    DateTimeOffset At,
    string? ActorId,
    string RepId,
    string? Reason,
    DateTimeOffset? LockedUntil,
    DateTimeOffset? CoolDownUntil) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Released;

    public override void ApplyTo(CustomerState state) => state.LetGo(Kind, RepId, At, LockedUntil, CoolDownUntil);

    public override TimelineFields Describe() => new(Reason, null, new() { ["repId"] = RepId });
}
