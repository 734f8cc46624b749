using Crm.Client;

namespace Crm.Grains.Customers.Events;

/// <summary>The customer moved along the funnel (lead, opportunity, customer; lost and invalid say why).</summary>
public sealed record StageMoved(DateTimeOffset At, string? ActorId, CustomerStage From, CustomerStage To, string? Reason) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.StageChanged;

    public override void ApplyTo(CustomerState state)
    {
        state.Stage = To;
        if (To == CustomerStage.Customer)
        {
            state.LastDealAt = At;
        }
    }

    public override TimelineFields Describe() =>
        new(Reason, null, new() { ["from"] = StageNames.Of(From), ["to"] = StageNames.Of(To) });
}
