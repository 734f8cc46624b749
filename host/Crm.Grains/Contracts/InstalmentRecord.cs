namespace Crm.Grains.Contracts;

/// <summary>
/// One instalment of a contract's payment plan: due on a date (the customer's unit's local date), overdue from
/// <see cref="OverdueAt"/> (the start of the next local day) while not fully paid; <see cref="OverdueRaised"/> once the
/// PaymentOverdue event was raised for it (at most once).
/// </summary>
[GenerateSerializer]
public sealed class InstalmentRecord
{
    [Id(0)] public int No { get; set; }
    [Id(1)] public DateOnly DueDate { get; set; }
    [Id(2)] public decimal Amount { get; set; }
    [Id(3)] public decimal Paid { get; set; }
    [Id(4)] public DateTimeOffset OverdueAt { get; set; }
    [Id(5)] public bool OverdueRaised { get; set; }

    public decimal Outstanding => Amount - Paid;
}
