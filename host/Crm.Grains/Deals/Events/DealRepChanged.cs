using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Deals.Events;

/// <summary>
/// An open deal moved to another rep because its customer got a new owner (a claim, a manager's assignment, a hand-over
/// when a rep moves or leaves, an assignment rule): an open deal follows the customer's owner, so the rep who now works
/// the customer also works, wins and is credited with its deals. Raised in the commit that changes the owner, after the
/// event that does; won and lost deals keep their rep. Carries the new rep's unit, as <see cref="DealOpened"/> does.
/// </summary>
public sealed record DealRepChanged(
    DateTimeOffset At,
    string? ActorId,
    string DealId,
    string FromRepId,
    string ToRepId,
    string? ToRepUnitId) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DealRepChanged;

    public override void ApplyTo(CustomerState state)
    {
        var deal = state.Deals[DealId];
        deal.RepId = ToRepId;
        deal.RepUnitId = ToRepUnitId;
        deal.UpdatedAt = At;
        deal.Version = state.Version;
    }

    public override TimelineFields Describe() => new(null, null, new()
    {
        ["dealId"] = DealId,
        ["fromRepId"] = FromRepId,
        ["toRepId"] = ToRepId,
    });
}
