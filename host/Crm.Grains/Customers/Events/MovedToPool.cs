namespace Crm.Grains.Customers.Events;

/// <summary>A manager moved the customer to another public pool (and so to that pool's org unit).</summary>
public sealed record MovedToPool(DateTimeOffset At, string? ActorId, string FromPoolId, string ToPoolId, string ToOrgUnitId, string? Reason)
    : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.Moved;

    public override void ApplyTo(CustomerState state)
    {
        state.PoolId = ToPoolId;
        state.OrgUnitId = ToOrgUnitId;
    }

    public override TimelineFields Describe() =>
        new(Reason, null, new() { ["fromPoolId"] = FromPoolId, ["toPoolId"] = ToPoolId });
}
