using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Deals.Events;

/// <summary>
/// A deal was won, at <see cref="CustomerEvent.At"/> (may be earlier than when it was recorded). Carries the won amount,
/// the rep and the rep's unit, the pipeline and the last stage and the probability the rep gave before the win, and when the deal was opened.
/// </summary>
public sealed record DealClosedWon(
    DateTimeOffset At,
    string? ActorId,
    string DealId,
    string Title,
    decimal Amount,
    string Currency,
    string RepId,
    string? RepUnitId,
    string PipelineId,
    string StageKey,
    int ProbabilityBefore,
    DateTimeOffset OpenedAt) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DealWon;

    public override void ApplyTo(CustomerState state)
    {
        var deal = state.Deals[DealId];
        deal.Status = DealStatus.Won;
        deal.Amount = Amount;
        deal.Probability = 100;
        deal.ClosedAt = At;
        deal.UpdatedAt = At;
        deal.Version = state.Version;
        if (state.LastDealAt is null || At > state.LastDealAt)
        {
            state.LastDealAt = At;
        }
    }

    public override TimelineFields Describe() => new(null, Title, new()
    {
        ["dealId"] = DealId,
        ["amount"] = DealFields.Amount(Amount),
        ["currency"] = Currency,
        ["repId"] = RepId,
        ["pipelineId"] = PipelineId,
        ["stageKey"] = StageKey,
    });
}
