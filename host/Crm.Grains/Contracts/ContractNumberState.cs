namespace Crm.Grains.Contracts;

[GenerateSerializer]
public sealed class ContractNumberState
{
    [Id(0)] public string? ContractId { get; set; }
    [Id(1)] public Guid CustomerId { get; set; }
    [Id(2)] public DateTimeOffset ReservedAt { get; set; }
}
