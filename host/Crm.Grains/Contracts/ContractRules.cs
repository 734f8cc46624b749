using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Common;
using Crm.Grains.Deals;
using Crm.Grains.Money;

namespace Crm.Grains.Contracts;

/// <summary>
/// The rules of contracts and payments, without a silo: the plan against the contract amount, when an instalment falls
/// overdue, how a payment is allocated to instalments (oldest first; a refund takes back newest first).
/// </summary>
public static class ContractRules
{
    public const int MaxInstalments = 120;

    /// <summary>How payments arrive; what reports group them by.</summary>
    public static readonly IReadOnlyList<string> Methods = ["bank-transfer", "cash", "cheque", "card", "alipay", "wechat-pay", "other"];

    /// <summary>Contract numbers are unique regardless of case and surrounding spaces.</summary>
    public static string NumberKey(string number) => number.Trim().ToUpperInvariant();

    public static string NewContractId() => "k-" + Guid.NewGuid().ToString("N")[..20];

    public static string NewPaymentId() => "p-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>
    /// What is wrong with a plan for a contract amount in a currency of <paramref name="minorUnits"/> decimals, each
    /// problem with its field (<c>paymentPlan[i].amount</c>, or <c>paymentPlan</c> when it does not add up).
    /// </summary>
    public static IEnumerable<(string Field, string Message)> PlanErrors(decimal amount, IReadOnlyList<PlanLine> plan, int minorUnits, string currency)
    {
        if (plan.Count is 0 or > MaxInstalments)
        {
            yield return ("paymentPlan", $"A payment plan has 1 to {MaxInstalments} instalments.");
            yield break;
        }

        for (var i = 0; i < plan.Count; i++)
        {
            if (plan[i].Amount <= 0 || plan[i].Amount > Amounts.Max)
            {
                yield return ($"paymentPlan[{i}].amount", $"An instalment is more than 0 and at most {Amounts.Max}.");
            }
            else if (!Amounts.FitsMinorUnits(plan[i].Amount, minorUnits))
            {
                yield return ($"paymentPlan[{i}].amount", $"{currency} amounts have at most {minorUnits} decimals.");
            }
        }

        var sum = plan.Sum(p => p.Amount);
        if (sum != amount)
        {
            yield return ("paymentPlan", $"The instalments add up to {sum} {currency}; the contract amount is {amount} {currency}.");
        }
    }

    /// <summary>The plan in due order, numbered from 1, each instalment overdue from the start of the local day after it is due.</summary>
    public static IReadOnlyList<PlannedInstalment> Number(IReadOnlyList<PlanLine> plan, WorkCalendar calendar) =>
        plan.OrderBy(p => p.DueDate).Select((p, i) => new PlannedInstalment(i + 1, p.DueDate, p.Amount, OverdueAt(p.DueDate, calendar))).ToList();

    /// <summary>An instalment due on a (local) date is overdue once that date has ended in the unit's time zone.</summary>
    public static DateTimeOffset OverdueAt(DateOnly dueDate, WorkCalendar calendar) => calendar.LocalAt(dueDate.AddDays(1), TimeOnly.MinValue);

    public static CrmError? CheckDeal(DealRecord deal) => deal.Status == Deals.DealStatus.Won
        ? null
        : CrmError.Conflict(ErrorCodes.DealNotWon, $"Deal '{deal.Id}' is {DealStatusNames.Of(deal.Status)}; a contract is signed on a won deal: win it first.",
            new() { ["dealId"] = deal.Id });

    /// <summary>A payment may not pay more than is outstanding; a refund may not give back more than was paid.</summary>
    public static CrmError? CheckPayment(ContractRecord contract, decimal amount) => amount switch
    {
        > 0 when amount > contract.Outstanding => CrmError.Invalid("amount",
            $"The payment is more than the {contract.Outstanding} {contract.Currency} still outstanding on contract {contract.Number}."),
        < 0 when -amount > contract.Paid => CrmError.Invalid("amount",
            $"A refund cannot exceed what was paid: {contract.Paid} {contract.Currency} on contract {contract.Number}."),
        _ => null,
    };

    /// <summary>
    /// The earliest UTC date a date a user gives may fall on when it may not be before <paramref name="reference"/>: the
    /// reference's UTC date less a day, for time zones, as due dates are checked against the signing date (a client sends
    /// its local date or midnight, which may be the UTC day before).
    /// </summary>
    public static DateOnly EarliestDay(DateTimeOffset reference) => DateOnly.FromDateTime(reference.UtcDateTime).AddDays(-1);

    private static bool OnOrAfter(DateTimeOffset at, DateOnly earliest) => DateOnly.FromDateTime(at.UtcDateTime) >= earliest;

    /// <summary>A payment or refund of a contract is not received before the contract was signed (a day's allowance for time zones).</summary>
    public static CrmError? CheckReceivedAt(ContractRecord contract, DateTimeOffset receivedAt) => OnOrAfter(receivedAt, EarliestDay(contract.SignedAt))
        ? null
        : CrmError.Invalid("receivedAt", $"A payment is not received before its contract was signed ({Day(contract.SignedAt)}, UTC): "
            + $"'receivedAt' is {Day(EarliestDay(contract.SignedAt))} or later (a day's allowance for time zones).");

    /// <summary>
    /// A refund is not dated before the payments it gives back: from its date on, what the contract had received (less what
    /// was refunded, whenever) must cover it. <paramref name="payments"/> are the contract's payments and refunds so far.
    /// </summary>
    public static CrmError? CheckRefundDate(ContractRecord contract, IEnumerable<(DateTimeOffset At, decimal Amount)> payments, DateTimeOffset receivedAt, decimal amount)
    {
        if (amount >= 0 || EarliestRefund(payments, -amount) is not { } from || OnOrAfter(receivedAt, EarliestDay(from)))
        {
            return null;
        }

        return CrmError.Invalid("receivedAt", $"A refund is not dated before the payment it refunds: {-amount} {contract.Currency} had been received on "
            + $"contract {contract.Number} only from {Day(from)} (UTC); 'receivedAt' is {Day(EarliestDay(from))} or later (a day's allowance for time zones).");
    }

    /// <summary>
    /// The earliest time a refund of <paramref name="refund"/> (above 0) may be dated at: the first payment's time from which
    /// what the contract holds (received less refunded, at every later time too) never falls below it. Null when no time
    /// does (more than was paid, which <see cref="CheckPayment"/> refuses, or payments the log does not show).
    /// </summary>
    public static DateTimeOffset? EarliestRefund(IEnumerable<(DateTimeOffset At, decimal Amount)> payments, decimal refund)
    {
        var held = new List<(DateTimeOffset At, decimal Total)>();
        var total = 0m;
        foreach (var at in payments.GroupBy(p => p.At).OrderBy(g => g.Key))
        {
            total += at.Sum(p => p.Amount);
            held.Add((at.Key, total));
        }

        DateTimeOffset? earliest = null;
        var least = decimal.MaxValue;
        for (var i = held.Count - 1; i >= 0; i--)
        {
            least = Math.Min(least, held[i].Total);
            if (least < refund)
            {
                break;
            }

            earliest = held[i].At;
        }

        return earliest;
    }

    private static string Day(DateTimeOffset at) => Day(DateOnly.FromDateTime(at.UtcDateTime));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Where a payment goes: to the instalments in due order, each filled before the next (oldest first). A refund
    /// (negative) takes back from the most recently due paid instalment first.
    /// </summary>
    public static IReadOnlyList<PaymentAllocation> Allocate(ContractRecord contract, decimal amount)
    {
        var allocations = new List<PaymentAllocation>();
        var left = Math.Abs(amount);
        var order = amount > 0 ? contract.Instalments : contract.Instalments.AsEnumerable().Reverse();
        foreach (var instalment in order)
        {
            if (left == 0)
            {
                break;
            }

            var room = amount > 0 ? instalment.Outstanding : instalment.Paid;
            var part = Math.Min(room, left);
            if (part > 0)
            {
                allocations.Add(new PaymentAllocation(instalment.No, amount > 0 ? part : -part));
                left -= part;
            }
        }

        return allocations;
    }

    /// <summary>The instalments that are overdue at <paramref name="now"/> and have not been announced yet.</summary>
    public static IEnumerable<InstalmentRecord> NewlyOverdue(ContractRecord contract, DateTimeOffset now) =>
        contract.Instalments.Where(i => !i.OverdueRaised && i.Outstanding > 0 && i.OverdueAt <= now);

    /// <summary>Whole days an instalment is overdue: 1 on the first day after its due date.</summary>
    public static int DaysOverdue(DateTimeOffset overdueAt, DateTimeOffset now) =>
        now < overdueAt ? 0 : (int)((now - overdueAt).Ticks / TimeSpan.TicksPerDay) + 1;
}
