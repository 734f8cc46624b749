using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>One instalment of a requested payment plan: a due date and an amount in the contract's currency.</summary>
public sealed record InstalmentRequest(DateOnly? DueDate, [property: Range(typeof(decimal), "-1000000000000", "1000000000000")] decimal? Amount);

/// <summary>
/// A contract on a won deal: a number unique in the company, the amount (in the deal's currency), when it was signed
/// and the payment plan, whose instalments add up to the amount.
/// </summary>
public sealed record CreateContractRequest(string? Number, [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Amount, DateTimeOffset? SignedAt, IReadOnlyList<InstalmentRequest>? PaymentPlan);

/// <summary>
/// An instalment: due on <see cref="DueDate"/> (the customer's unit's local date), overdue from <see cref="OverdueAt"/>
/// (the start of the next local day) while <see cref="Outstanding"/> is above zero.
/// </summary>
public sealed record InstalmentDto(int No, DateOnly DueDate, decimal Amount, decimal Paid, decimal Outstanding, DateTimeOffset OverdueAt, bool Overdue);

/// <summary>The part of a payment that went to one instalment (negative for a refund).</summary>
public sealed record PaymentAllocationDto(int InstalmentNo, decimal Amount);

public sealed record PaymentDto(string Id, string ContractId, Guid CustomerId, decimal Amount, string Currency, DateTimeOffset ReceivedAt,
    string Method, string? Reference, string? Reason, IReadOnlyList<PaymentAllocationDto> Allocations, string? RecordedBy, DateTimeOffset RecordedAt);

/// <summary>A contract with its totals; <see cref="PaymentPlan"/> and <see cref="Payments"/> are filled when one contract is read.</summary>
public sealed record ContractDto(
    string Id,
    string Number,
    Guid CustomerId,
    string DealId,
    decimal Amount,
    string Currency,
    DateTimeOffset SignedAt,
    string RepId,
    decimal Paid,
    decimal Outstanding,
    DateTimeOffset CreatedAt,
    IReadOnlyList<InstalmentDto>? PaymentPlan = null,
    IReadOnlyList<PaymentDto>? Payments = null);

/// <summary>
/// Money received on a contract. A negative <see cref="Amount"/> is a refund and needs a <see cref="Reason"/>.
/// <see cref="Method"/>: bank-transfer, cash, cheque, card, alipay, wechat-pay or other.
/// </summary>
public sealed record PaymentRequest([property: Range(typeof(decimal), "-1000000000000", "1000000000000")] decimal? Amount, DateTimeOffset? ReceivedAt, string? Method,
    [property: MaxLength(100)] string? Reference = null, [property: MaxLength(500)] string? Reason = null);

/// <summary>One instalment still to be paid: what is due, paid and outstanding, in <see cref="Currency"/>, and how many days it is overdue.</summary>
public sealed record ReceivableDto(string ContractId, string ContractNumber, Guid CustomerId, string CustomerName, string RepId, int InstalmentNo,
    DateOnly DueDate, decimal Due, decimal Paid, decimal Outstanding, string Currency, bool Overdue, int DaysOverdue);

/// <summary>What the listed receivables add up to in one currency.</summary>
public sealed record CurrencyTotalDto(string Currency, decimal Due, decimal Paid, decimal Outstanding);

/// <summary>
/// A page of receivables, with totals per currency over all that match (not only this page) and the outstanding total
/// in the company's base currency at today's rates (null when a currency has no rate: <see cref="MissingRates"/>).
/// </summary>
public sealed record ReceivablesPage(IReadOnlyList<ReceivableDto> Items, long Total, IReadOnlyList<CurrencyTotalDto> Totals, string BaseCurrency,
    decimal? OutstandingInBase, IReadOnlyList<string> MissingRates);
