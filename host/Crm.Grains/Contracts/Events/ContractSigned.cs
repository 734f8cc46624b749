using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;

namespace Crm.Grains.Contracts.Events;

/// <summary>
/// A contract was signed on a won deal, at <see cref="CustomerEvent.At"/>: its number, amount and currency, the rep and
/// the rep's unit, and the payment plan with the instant each instalment falls overdue (decided at signing, in the
/// customer's unit's time zone).
/// </summary>
public sealed record ContractSigned(
    DateTimeOffset At,
    string? ActorId,
    string ContractId,
    string DealId,
    string Number,
    decimal Amount,
    string Currency,
    string RepId,
    string? RepUnitId,
    IReadOnlyList<PlannedInstalment> Plan,
    DateTimeOffset RecordedAt) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.ContractSigned;

    public override void ApplyTo(CustomerState state) => state.PutContract(new ContractRecord
    {
        Id = ContractId,
        DealId = DealId,
        Number = Number,
        Amount = Amount,
        Currency = Currency,
        SignedAt = At,
        RepId = RepId,
        RepUnitId = RepUnitId,
        Instalments = Plan.Select(p => new InstalmentRecord { No = p.No, DueDate = p.DueDate, Amount = p.Amount, OverdueAt = p.OverdueAt }).ToList(),
        CreatedAt = RecordedAt,
        UpdatedAt = RecordedAt,
        Version = state.Version,
    });

    public override TimelineFields Describe() => new(null, Number, new()
    {
        ["contractId"] = ContractId,
        ["dealId"] = DealId,
        ["number"] = Number,
        ["amount"] = DealFields.Amount(Amount),
        ["currency"] = Currency,
        ["instalments"] = DealFields.Number(Plan.Count),
        ["repId"] = RepId,
    });
}
