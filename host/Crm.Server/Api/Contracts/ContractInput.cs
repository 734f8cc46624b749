using Crm.Client;
using Crm.Grains.Contracts;
using Crm.Grains.Money;
using Crm.Server.Api.Common;

namespace Crm.Server.Api.Contracts;

/// <summary>Validates contract and payment requests into the grains' commands: every field error at once, with its field.</summary>
public static class ContractInput
{
    public const int MaxNumberLength = 64;

    public const int MaxPlanYears = 30;

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A contract on a deal in <paramref name="currency"/> of <paramref name="minorUnits"/> decimals.</summary>
    public static (NewContract? Contract, Validation Validation) Contract(CreateContractRequest request, string currency, int minorUnits)
    {
        var validation = new Validation().Require(request.Number, "number", MaxNumberLength)
            .Check(request.Amount is > 0 and <= Amounts.Max, "amount", $"'amount' is required: more than 0 and at most {Amounts.Max}.")
            .Check(request.Amount is not { } a || Amounts.FitsMinorUnits(a, minorUnits), "amount", $"{currency} amounts have at most {minorUnits} decimals.")
            // Bounded above too: the plan's due dates are checked against the signing day plus MaxPlanYears (year 9999 was a 500).
            .Check(request.SignedAt is { } s && s >= Earliest && Validation.IsDate(DateOnly.FromDateTime(s.UtcDateTime)), "signedAt",
                "'signedAt' is required, in 2000 to 2100.");
        var plan = request.PaymentPlan ?? [];
        validation.Check(plan.Count is > 0 and <= ContractRules.MaxInstalments, "paymentPlan", $"A payment plan has 1 to {ContractRules.MaxInstalments} instalments.");
        if (!validation.IsValid || plan.Count == 0)
        {
            return (null, validation);
        }

        var signedOn = DateOnly.FromDateTime(request.SignedAt!.Value.UtcDateTime);
        for (var i = 0; i < plan.Count; i++)
        {
            // Within 2100 too, like every date stored: receivables are asked for by due date up to the end of 2100.
            validation.Check(plan[i]?.DueDate is { } due && due >= signedOn.AddDays(-1) && due <= signedOn.AddYears(MaxPlanYears) && Validation.IsDate(due),
                $"paymentPlan[{i}].dueDate", $"A due date is required, from the signing date to {MaxPlanYears} years after it and within 2100.")
                .Check(plan[i]?.Amount is not null, $"paymentPlan[{i}].amount", "An instalment amount is required.");
        }

        if (!validation.IsValid)
        {
            return (null, validation);
        }

        var lines = plan.Select(p => new PlanLine(p.DueDate!.Value, p.Amount!.Value)).ToList();
        foreach (var (field, message) in ContractRules.PlanErrors(request.Amount!.Value, lines, minorUnits, currency))
        {
            validation.Check(false, field, message);
        }

        return validation.IsValid ? (new NewContract(request.Number!.Trim(), request.Amount.Value, request.SignedAt.Value, lines), validation) : (null, validation);
    }

    /// <summary>A payment: not zero, a method of the list; a refund (negative) needs a reason.</summary>
    public static (NewPayment? Payment, Validation Validation) Payment(PaymentRequest request, DateTimeOffset now)
    {
        var validation = new Validation()
            .Check(request.Amount is { } a && a != 0 && Math.Abs(a) <= Amounts.Max, "amount",
                $"'amount' is required: not 0, at most {Amounts.Max} (negative for a refund).")
            .Check(request.ReceivedAt is not { } r || r >= Earliest, "receivedAt", "'receivedAt' is from 2000 on.")
            .Check(request.Method is { } m && ContractRules.Methods.Contains(m), "method", $"'method' is one of: {string.Join(", ", ContractRules.Methods)}.")
            .MaxLength(request.Reference, "reference", 100)
            .MaxLength(request.Reason, "reason", 500)
            .Check(request.Amount is not < 0 || !string.IsNullOrWhiteSpace(request.Reason), "reason", "A refund needs a reason.");
        return validation.IsValid
            ? (new NewPayment(request.Amount!.Value, request.ReceivedAt ?? now, request.Method!, Trim(request.Reference), Trim(request.Reason)), validation)
            : (null, validation);
    }

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
