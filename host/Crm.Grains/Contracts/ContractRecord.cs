namespace Crm.Grains.Contracts;

/// <summary>
/// One contract in the customer's snapshot: its terms, its payment plan with what each instalment has received, and the
/// total paid. Changed only by the contract events' <c>ApplyTo</c>; the payments themselves stay in their events and in
/// the <c>payments</c> table.
/// </summary>
[GenerateSerializer]
public sealed class ContractRecord
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string DealId { get; set; } = "";
    [Id(2)] public string Number { get; set; } = "";
    [Id(3)] public decimal Amount { get; set; }
    [Id(4)] public string Currency { get; set; } = "";
    [Id(5)] public DateTimeOffset SignedAt { get; set; }
    [Id(6)] public string RepId { get; set; } = "";
    [Id(7)] public string? RepUnitId { get; set; }
    /// <summary>The instalments in due order (numbered from 1).</summary>
    [Id(8)] public List<InstalmentRecord> Instalments { get; set; } = [];
    [Id(9)] public decimal Paid { get; set; }
    [Id(10)] public DateTimeOffset CreatedAt { get; set; }
    [Id(11)] public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The customer's version when this contract last changed: its read-model rows' version.</summary>
    [Id(12)] public long Version { get; set; }

    public decimal Outstanding => Amount - Paid;

    public InstalmentRecord Instalment(int no) => Instalments[no - 1];
}
