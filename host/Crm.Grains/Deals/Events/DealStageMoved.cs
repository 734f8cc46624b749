using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Deals.Events;

/// <summary>A deal moved along its pipeline; carries the amount and probability at the time (the funnel and forecast read them).</summary>
public sealed record DealStageMoved(
    DateTimeOffset At,
    string? ActorId,
    string DealId,
    string RepId,
    string PipelineId,
    string FromStageKey,
    string ToStageKey,
    int Probability,
    decimal Amount,
    string Currency,
    string? Reason) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DealStageChanged;

    public override void ApplyTo(CustomerState state)
    {
        var deal = state.Deals[DealId];
        deal.StageKey = ToStageKey;
        deal.Probability = Probability;
        deal.UpdatedAt = At;
        deal.Version = state.Version;
    }

    public override TimelineFields Describe() => new(Reason, null, new()
    {
        ["dealId"] = DealId,
        ["from"] = FromStageKey,
        ["to"] = ToStageKey,
        ["probability"] = DealFields.Number(Probability),
        ["pipelineId"] = PipelineId,
    });
}
