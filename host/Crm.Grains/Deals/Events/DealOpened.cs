using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;

namespace Crm.Grains.Deals.Events;

/// <summary>
/// A deal was opened on the customer. Carries what reports need later without reading anything else: the amount and
/// currency, the rep and the rep's unit, the pipeline, stage and probability at the time, the expected close date.
/// </summary>
public sealed record DealOpened(
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
    int Probability,
    DateOnly? ExpectedClose,
    IReadOnlyList<DealLine> Lines,
    IReadOnlyDictionary<string, CustomFields.CustomValue>? CustomFields = null) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.DealCreated;

    public override void ApplyTo(CustomerState state) => state.PutDeal(new DealRecord
    {
        Id = DealId,
        Title = Title,
        Amount = Amount,
        Currency = Currency,
        RepId = RepId,
        RepUnitId = RepUnitId,
        PipelineId = PipelineId,
        StageKey = StageKey,
        Probability = Probability,
        Status = DealStatus.Open,
        ExpectedClose = ExpectedClose,
        CreatedAt = At,
        UpdatedAt = At,
        Version = state.Version,
        CustomFields = CustomFields is null ? [] : new(CustomFields, StringComparer.Ordinal),
    });

    public override TimelineFields Describe() => new(null, Title, new()
    {
        ["dealId"] = DealId,
        ["amount"] = DealFields.Amount(Amount),
        ["currency"] = Currency,
        ["repId"] = RepId,
        ["pipelineId"] = PipelineId,
        ["stageKey"] = StageKey,
        ["probability"] = DealFields.Number(Probability),
        ["expectedCloseDate"] = DealFields.Date(ExpectedClose),
    });
}
