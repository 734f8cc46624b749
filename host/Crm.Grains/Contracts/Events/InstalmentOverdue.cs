using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;

namespace Crm.Grains.Contracts.Events;

/// <summary>
/// An instalment's due date passed while it was not fully paid (PaymentOverdue), at <see cref="CustomerEvent.At"/>: the
/// instant it fell overdue. Raised once per instalment by the overdue sweep.
/// </summary>
public sealed record InstalmentOverdue(
    DateTimeOffset At,
    string ContractId,
    string Number,
    int InstalmentNo,
    DateOnly DueDate,
    decimal Due,
    decimal Paid,
    string Currency,
    string RepId) : CustomerEvent(At, null)
{
    public override string Kind => TimelineKinds.PaymentOverdue;

    public override void ApplyTo(CustomerState state)
    {
        var contract = state.Contracts[ContractId];
        contract.Instalment(InstalmentNo).OverdueRaised = true;
        contract.Version = state.Version;
    }

    public override TimelineFields Describe() => new(null, Number, new()
    {
        ["contractId"] = ContractId,
        ["instalmentNo"] = DealFields.Number(InstalmentNo),
        ["dueDate"] = DealFields.Date(DueDate),
        ["due"] = DealFields.Amount(Due),
        ["outstanding"] = DealFields.Amount(Due - Paid),
        ["currency"] = Currency,
    });
}
