using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Deals.Events;

/// <summary>An attempt on a deal (offer, demo, quote, call, visit) and its outcome, at the deal's stage of the time.</summary>
public sealed record DealAttempted(
    DateTimeOffset At,
    string? ActorId,
    string DealId,
    string RepId,
    string PipelineId,
    string StageKey,
    string AttemptKind,
    string Outcome,
    string? Reason) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DealAttempt;

    public override void ApplyTo(CustomerState state)
    {
        var deal = state.Deals[DealId];
        deal.UpdatedAt = At;
        deal.Version = state.Version;
    }

    public override TimelineFields Describe() => new(Reason, null, new()
    {
        ["dealId"] = DealId,
        ["kind"] = AttemptKind,
        ["outcome"] = Outcome,
        ["stageKey"] = StageKey,
    });
}
