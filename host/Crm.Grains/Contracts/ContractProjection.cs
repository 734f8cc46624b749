using Crm.Grains.Common;
using Crm.Grains.Contracts.Events;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.EventLog;
using Crm.Grains.Money;

namespace Crm.Grains.Contracts;

/// <summary>
/// The contracts' read model, written in the customer's commit: <c>contracts</c> and <c>payment_plan</c> (versioned by
/// the customer's version; a plan row's <c>open_overdue_ms</c> is set while the instalment is unpaid and not yet
/// announced overdue, which is what the overdue sweep reads), and <c>payments</c> (one row per payment event). A
/// re-projection (a commit of no events) writes the contract and plan rows again from the snapshot.
/// </summary>
public sealed class ContractProjection : ICustomerProjection
{
    private const string UpsertContractSql = """
        INSERT INTO contracts (id, customer_id, deal_id, number, number_key, amount_e4, paid_e4, currency, signed_ms, rep_id, rep_unit_id,
                               created_ms, updated_ms, version)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13)
        ON CONFLICT (id) DO UPDATE SET paid_e4 = excluded.paid_e4, rep_id = excluded.rep_id, rep_unit_id = excluded.rep_unit_id,
            updated_ms = excluded.updated_ms, version = excluded.version
        WHERE excluded.version >= contracts.version
        """;

    private const string UpsertInstalmentSql = """
        INSERT INTO payment_plan (contract_id, instalment_no, customer_id, due_date, amount_e4, paid_e4, overdue_ms, open_overdue_ms, overdue_raised, version)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
        ON CONFLICT (contract_id, instalment_no) DO UPDATE SET paid_e4 = excluded.paid_e4, open_overdue_ms = excluded.open_overdue_ms,
            overdue_raised = excluded.overdue_raised, version = excluded.version
        WHERE excluded.version >= payment_plan.version
        """;

    private const string InsertPaymentSql = """
        INSERT INTO payments (customer_id, seq, id, contract_id, amount_e4, currency, received_ms, method, reference, reason, allocations,
                              rep_id, actor_id, recorded_ms)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13)
        ON CONFLICT (customer_id, seq) DO NOTHING
        """;

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        if (events.Count == 0)
        {
            foreach (var contract in after.Contracts.Values)
            {
                Rows(id, contract, into);
            }

            return;
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case ContractSigned s:
                    changed.Add(s.ContractId);
                    break;
                case PaymentRecorded p:
                    changed.Add(p.ContractId);
                    into.Add(new CommitStatement(InsertPaymentSql, id, firstSeq + i, p.PaymentId, p.ContractId, Amounts.ToE4(p.Amount), p.Currency,
                        UnixTime.ToMs(p.At), p.Method, p.Reference, p.Reason,
                        string.Join(';', p.Allocations.Select(a => $"{a.InstalmentNo}:{Amounts.ToE4(a.Amount)}")), p.RepId, p.ActorId, UnixTime.ToMs(p.RecordedAt)));
                    break;
                case InstalmentOverdue o:
                    changed.Add(o.ContractId);
                    break;
            }
        }

        foreach (var contractId in changed.Where(after.Contracts.ContainsKey))
        {
            Rows(id, after.Contracts[contractId], into);
        }
    }

    private static void Rows(string customerId, ContractRecord c, List<CommitStatement> into)
    {
        into.Add(new CommitStatement(UpsertContractSql, c.Id, customerId, c.DealId, c.Number, ContractRules.NumberKey(c.Number), Amounts.ToE4(c.Amount),
            Amounts.ToE4(c.Paid), c.Currency, UnixTime.ToMs(c.SignedAt), c.RepId, c.RepUnitId, UnixTime.ToMs(c.CreatedAt), UnixTime.ToMs(c.UpdatedAt), c.Version));
        foreach (var i in c.Instalments)
        {
            var open = i.Outstanding > 0 && !i.OverdueRaised ? (long?)UnixTime.ToMs(i.OverdueAt) : null;
            into.Add(new CommitStatement(UpsertInstalmentSql, c.Id, (long)i.No, customerId, i.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Amounts.ToE4(i.Amount), Amounts.ToE4(i.Paid), UnixTime.ToMs(i.OverdueAt), open, i.OverdueRaised ? 1L : 0L, c.Version));
        }
    }
}
