using Crm.Client;
using Crm.Grains.Contracts;

namespace Crm.Server.Api.Contracts;

/// <summary>The contract grains' types as the API answers them.</summary>
public static class ContractMappings
{
    public static ContractDto ToDto(Guid customerId, ContractRecord c, DateTimeOffset now) => new(c.Id, c.Number, customerId, c.DealId, c.Amount,
        c.Currency, c.SignedAt, c.RepId, c.Paid, c.Outstanding, c.CreatedAt,
        c.Instalments.Select(i => new InstalmentDto(i.No, i.DueDate, i.Amount, i.Paid, i.Outstanding, i.OverdueAt, i.Outstanding > 0 && i.OverdueAt <= now)).ToList(),
        []);

    public static PaymentDto ToDto(Guid customerId, PaymentReceipt p) => new(p.PaymentId, p.ContractId, customerId, p.Amount, p.Currency, p.ReceivedAt,
        p.Method, p.Reference, p.Reason, p.Allocations.Select(a => new PaymentAllocationDto(a.InstalmentNo, a.Amount)).ToList(), p.RecordedBy, p.RecordedAt);
}
