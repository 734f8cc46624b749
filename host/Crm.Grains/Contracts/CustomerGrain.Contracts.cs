using Crm.Grains.Customers.Events;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Contracts;
using Crm.Grains.Contracts.Events;
using Microsoft.Extensions.DependencyInjection;
using CustomerEvents = Crm.Grains.Customers.Events;

namespace Crm.Grains.Customers;

/// <summary>
/// The contract and payment commands of the customer grain (<see cref="ICustomerContracts"/>): check, decide
/// (<see cref="ContractRules"/>), raise events on the customer's log.
/// </summary>
public sealed partial class CustomerGrain : ICustomerContracts
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public async Task<Result<ContractRecord>> SignContract(string dealId, NewContract contract, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may sign its contracts.") is { } refused)
        {
            return refused;
        }

        if (!S.Deals.TryGetValue(dealId, out var deal))
        {
            return CrmError.NotFound("Deal", dealId);
        }

        if (ContractRules.CheckDeal(deal) is { } notWon)
        {
            return notWon;
        }

        if (S.Contracts.Values.FirstOrDefault(c => c.DealId == dealId) is { } existing)
        {
            return CrmError.Conflict(ErrorCodes.ContractExists, $"Deal '{dealId}' already has contract {existing.Number}.",
                new() { ["dealId"] = dealId, ["contractId"] = existing.Id });
        }

        var now = clock.GetUtcNow();
        if (contract.SignedAt > now + Skew)
        {
            return CrmError.Invalid("signedAt", "A contract is recorded once signed; 'signedAt' may not be in the future.");
        }

        var minorUnits = await deals.MinorUnitsAsync(deal.Currency) ?? 2;
        if (ContractRules.PlanErrors(contract.Amount, contract.Plan, minorUnits, deal.Currency).FirstOrDefault() is { Field: not null } planError)
        {
            return CrmError.Invalid(planError.Field, planError.Message);
        }

        var calendar = (await ServiceProvider.GetRequiredService<CalendarDirectory>().ForUnitAsync(S.OrgUnitId)).Calendar;
        var id = ContractRules.NewContractId();
        var number = GrainFactory.GetGrain<IContractNumberGrain>(ContractRules.NumberKey(contract.Number));
        if (await number.Reserve(id, Id) is { } holder)
        {
            return CrmError.Conflict(ErrorCodes.ContractNumberTaken, $"Contract number '{contract.Number}' is already used.",
                new() { ["number"] = contract.Number, ["contractId"] = holder });
        }

        try
        {
            await RaiseAsync(new ContractSigned(contract.SignedAt, actor.UserId, id, dealId, contract.Number, contract.Amount, deal.Currency,
                deal.RepId, deal.RepUnitId, ContractRules.Number(contract.Plan, calendar), now));
        }
        catch
        {
            await number.Release(id);
            throw;
        }

        return S.Contracts[id];
    }

    public async Task<Result<PaymentReceipt>> RecordPayment(string contractId, NewPayment payment, Actor actor)
    {
        if (await OwnerOrManagerAsync(actor, "Only the rep who owns this customer, or a manager, may record its payments.") is { } refused)
        {
            return refused;
        }

        if (!S.Contracts.TryGetValue(contractId, out var contract))
        {
            return CrmError.NotFound("Contract", contractId);
        }

        var now = clock.GetUtcNow();
        if (payment.ReceivedAt > now + Skew)
        {
            return CrmError.Invalid("receivedAt", "A payment is recorded once received; 'receivedAt' may not be in the future.");
        }

        if (ContractRules.CheckReceivedAt(contract, payment.ReceivedAt) is { } beforeSigning)
        {
            return beforeSigning;
        }

        var minorUnits = await deals.MinorUnitsAsync(contract.Currency) ?? 2;
        if (!Money.Amounts.FitsMinorUnits(payment.Amount, minorUnits))
        {
            return CrmError.Invalid("amount", $"{contract.Currency} amounts have at most {minorUnits} decimals.");
        }

        if (ContractRules.CheckPayment(contract, payment.Amount) is { } wrongAmount)
        {
            return wrongAmount;
        }

        // A refund is checked against the dates of the payments it gives back, which only the log keeps: read for refunds only.
        if (payment.Amount < 0 && ContractRules.CheckRefundDate(contract, await PaymentsOfAsync(contractId), payment.ReceivedAt, payment.Amount) is { } beforePayment)
        {
            return beforePayment;
        }

        var recorded = new PaymentRecorded(payment.ReceivedAt, actor.UserId, contractId, ContractRules.NewPaymentId(), payment.Amount, contract.Currency,
            payment.Method, payment.Reference, payment.Reason, ContractRules.Allocate(contract, payment.Amount), contract.RepId, contract.RepUnitId, now);
        // Payments landing recompute the level (issue 16 item 7) in the same commit, unless it was set by hand.
        var events = new List<CustomerEvent> { recorded };
        if (await RuleLevelAfterAsync(events, now) is { } level)
        {
            events.Add(level);
        }

        await RaiseAsync(events);
        return new PaymentReceipt(recorded.PaymentId, contractId, recorded.Amount, recorded.Currency, recorded.At, recorded.Method, recorded.Reference,
            recorded.Reason, recorded.Allocations, actor.UserId, now);
    }

    /// <summary>The contract's payments and refunds so far (when received, how much), from the log.</summary>
    private async Task<IReadOnlyList<(DateTimeOffset At, decimal Amount)>> PaymentsOfAsync(string contractId) =>
        (await log.ReadEventsAsync(Id, S.MergedFrom, TimelineKinds.PaymentReceived)).OfType<PaymentRecorded>()
            .Where(p => p.ContractId == contractId).Select(p => (p.At, p.Amount)).ToList();

    public async Task<Result<ContractRecord>> GetContract(string contractId, Actor actor)
    {
        if (await ExistingAndSeenAsync(actor) is { } refused)
        {
            return refused;
        }

        return S.Contracts.TryGetValue(contractId, out var contract) ? contract : CrmError.NotFound("Contract", contractId);
    }

    public async Task<int> RaiseOverdue()
    {
        if (!S.Exists)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var overdue = S.Contracts.Values
            .SelectMany(c => ContractRules.NewlyOverdue(c, now).Select(i =>
                (CustomerEvents.CustomerEvent)new InstalmentOverdue(i.OverdueAt, c.Id, c.Number, i.No, i.DueDate, i.Amount, i.Paid, c.Currency, c.RepId)))
            .OrderBy(e => e.At)
            .ToList();
        if (overdue.Count > 0)
        {
            await RaiseAsync(overdue);
        }

        return overdue.Count;
    }
}
