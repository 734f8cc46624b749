using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Deals.Events;

/// <summary>A deal was lost, for a reason of the company's list; carries the stage and probability it was lost at.</summary>
public sealed record DealClosedLost(
    DateTimeOffset At,
    string? ActorId,
    string DealId,
    string RepId,
    string PipelineId,
    string StageKey,
    int ProbabilityBefore,
    decimal Amount,
    string Currency,
    string Reason,
    string? Competitor,
    string? Note) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DealLost;

    public override void ApplyTo(CustomerState state)
    {
        var deal = state.Deals[DealId];
        deal.Status = DealStatus.Lost;
        deal.LoseReason = Reason;
        deal.ClosedAt = At;
        deal.UpdatedAt = At;
        deal.Version = state.Version;

        // The "no deal in N days" clock runs again from the loss, not from before the deal was opened.
        if (state.LastDealAt is null || At > state.LastDealAt)
        {
            state.LastDealAt = At;
        }
    }

    public override TimelineFields Describe() => new(Reason, Note, new()
    {
        ["dealId"] = DealId,
        ["competitor"] = Competitor,
        ["stageKey"] = StageKey,
        ["pipelineId"] = PipelineId,
    });
}
