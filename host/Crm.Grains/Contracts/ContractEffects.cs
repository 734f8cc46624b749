using Crm.Client;
using Crm.Grains.Contracts.Events;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Outbox;
using Crm.Grains.Push;

namespace Crm.Grains.Contracts;

/// <summary>
/// The side effects of contract events (called from <see cref="CustomerEffects"/>): a payment and an overdue instalment
/// are pushed to the contract's rep, the customer's owner and the customer's unit (its managers). A signed contract is
/// on the timeline only.
/// </summary>
public static class ContractEffects
{
    public static void Add(List<OutboxEffect> effects, Guid id, CustomerState after, CustomerEvent e)
    {
        switch (e)
        {
            case PaymentRecorded p:
                var contract = after.Contracts[p.ContractId];
                effects.Add(Push(after, new PaymentReceived(id, p.At, p.ContractId, contract.Number, p.PaymentId, p.Amount, p.Currency,
                    contract.Paid, contract.Outstanding, p.Reason, p.RepId), p.RepId));
                break;
            case InstalmentOverdue o:
                effects.Add(Push(after, new PaymentOverdue(id, o.At, o.ContractId, o.Number, o.InstalmentNo, o.DueDate, o.Due, o.Due - o.Paid,
                    o.Currency, o.RepId), o.RepId));
                break;
        }
    }

    private static PushEvent Push(CustomerState after, ICrmEvent evt, string repId)
    {
        var channels = new List<string> { PushChannels.Rep(repId) };
        if (after.OwnerId is { } owner && owner != repId)
        {
            channels.Add(PushChannels.Rep(owner));
        }

        if (after.OrgUnitId is not null)
        {
            channels.Add(PushChannels.Unit(after.OrgUnitId));
        }

        return new PushEvent(EventPublisher.ToMessage(evt), channels);
    }
}
