using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Deals.Events;

namespace Crm.Grains.Contracts.Events;

/// <summary>
/// Money arrived on a contract at <see cref="CustomerEvent.At"/> (negative: a refund, with its reason), allocated to
/// instalments as <see cref="ContractRules.Allocate"/> decided. Carries the rep and the rep's unit for the reports.
/// </summary>
public sealed record PaymentRecorded(
    DateTimeOffset At,
    string? ActorId,
    string ContractId,
    string PaymentId,
    decimal Amount,
    string Currency,
    string Method,
    string? Reference,
    string? Reason,
    IReadOnlyList<PaymentAllocation> Allocations,
    string RepId,
    string? RepUnitId,
    DateTimeOffset RecordedAt) : CustomerEvent(At, ActorId)
{
    public override string Kind => TimelineKinds.PaymentReceived;

    public override void ApplyTo(CustomerState state)
    {
        var contract = state.Contracts[ContractId];
        contract.Paid += Amount;
        foreach (var allocation in Allocations)
        {
            contract.Instalment(allocation.InstalmentNo).Paid += allocation.Amount;
        }

        contract.UpdatedAt = RecordedAt;
        contract.Version = state.Version;
    }

    public override TimelineFields Describe() => new(Reason, Reference, new()
    {
        ["contractId"] = ContractId,
        ["paymentId"] = PaymentId,
        ["amount"] = DealFields.Amount(Amount),
        ["currency"] = Currency,
        ["method"] = Method,
        ["refund"] = Amount < 0 ? "true" : "false",
    });
}
