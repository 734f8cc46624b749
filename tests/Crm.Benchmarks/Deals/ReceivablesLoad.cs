using System.Globalization;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Benchmarks.Deals;

/// <summary>
/// Contracts, payment plans and payments on the won deals already loaded, shaped as <c>ContractProjection</c> writes
/// them: a contract on 70 % of won deals (in the deal's currency, now one of CNY/USD/EUR/RUB), signed on the deal's
/// expected close date, 1–4 monthly instalments summing to the amount, paid in due order (most past instalments
/// settled, some part-paid or unpaid and so overdue and announced, a few future ones paid early), one payment row per
/// paid instalment. Due dates are the local dates of a UTC+8 unit; an instalment falls overdue at the next local midnight.
/// </summary>
public static class ReceivablesLoad
{
    private const long Day = 86_400_000L;

    private const long UnitOffset = 8 * 3_600_000L;

    private sealed record WonDeal(string Id, string CustomerId, string RepId, string? RepUnitId, long AmountE4, long ExpectedCloseMs);

    private sealed record PlanRow(string Contract, long No, string Customer, string Due, long Amount, long Paid, long OverdueAt, long? Open, long Raised)
    {
        public long Version { get; set; }
    }

    /// <summary>Loads them and returns how many contracts and instalments it wrote.</summary>
    public static async Task<(int Contracts, int Instalments)> PopulateAsync(CrmDatabase database, long now)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var won = (await connection.QueryAsync<WonDeal>("""
            SELECT id AS Id, customer_id AS CustomerId, rep_id AS RepId, rep_unit_id AS RepUnitId, amount_e4 AS AmountE4, expected_close_ms AS ExpectedCloseMs
            FROM deals WHERE status = 'won' ORDER BY id
            """, transaction: transaction)).ToList();

        var random = new Random(11);
        string[] currencies = ["CNY", "CNY", "CNY", "CNY", "CNY", "CNY", "CNY", "USD", "USD", "EUR", "EUR", "RUB"];
        string[] methods = ["bank-transfer", "bank-transfer", "bank-transfer", "alipay", "wechat-pay", "cheque", "cash"];
        var contracts = new List<object>();
        var plan = new List<PlanRow>();
        var payments = new List<object>();
        var currencyOf = new List<object>();
        var seqOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var deal in won)
        {
            if (random.Next(10) >= 7)
            {
                continue;
            }

            var id = "k-" + Guid.NewGuid().ToString("N")[..20];
            var currency = currencies[random.Next(currencies.Length)];
            var signed = deal.ExpectedCloseMs + random.Next(9, 18) * 3_600_000L;
            var count = random.Next(1, 5);
            var rows = new List<PlanRow>();
            var seq = seqOf.GetValueOrDefault(deal.CustomerId, 3) + 1; // ContractSigned, after the deal's own events
            var contractVersion = seq;
            long paidTotal = 0, updated = signed;
            var share = deal.AmountE4 / count / 10_000 * 10_000; // whole units, the last instalment takes the rest
            for (var no = 1; no <= count; no++)
            {
                var amount = no == count ? deal.AmountE4 - share * (count - 1) : share;
                var due = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(signed + UnitOffset).UtcDateTime).AddMonths(no - 1).AddDays(14);
                var overdueAt = new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() - UnitOffset;
                var past = overdueAt <= now;
                var roll = random.Next(100);
                var paid = past
                    ? roll < 80 ? amount : roll < 90 ? amount / 2 / 10_000 * 10_000 : 0
                    : roll < 8 ? amount : 0;
                if (paid > 0)
                {
                    var received = Math.Min(now - 1, overdueAt - random.Next(1, 20) * Day);
                    received = Math.Max(received, signed);
                    payments.Add(new
                    {
                        Customer = deal.CustomerId, Seq = ++seq, Id = "p-" + Guid.NewGuid().ToString("N")[..20], Contract = id, Amount = paid,
                        Currency = currency, Received = received, Method = methods[random.Next(methods.Length)], Reference = $"TX{random.Next():D10}",
                        Allocations = $"{no}:{paid}", Rep = deal.RepId, Recorded = received + 3_600_000L,
                    });
                    paidTotal += paid;
                    updated = Math.Max(updated, received + 3_600_000L);
                    contractVersion = seq;
                }

                var unpaid = paid < amount;
                var raised = unpaid && past; // the sweep has announced it
                rows.Add(new PlanRow(id, no, deal.CustomerId, due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), amount, paid, overdueAt,
                    unpaid && !raised ? overdueAt : null, raised ? 1L : 0L));
                if (raised)
                {
                    contractVersion = ++seq;
                }
            }

            seqOf[deal.CustomerId] = seq;
            rows.ForEach(r => r.Version = contractVersion); // plan rows carry the contract's version, as the projection writes them
            plan.AddRange(rows);
            var number = $"HT-{contracts.Count + 1:D7}";
            contracts.Add(new
            {
                Id = id, Customer = deal.CustomerId, Deal = deal.Id, Number = number, Key = number.ToUpperInvariant(), Amount = deal.AmountE4,
                Paid = paidTotal, Currency = currency, Signed = signed, Rep = deal.RepId, Unit = deal.RepUnitId, Created = signed + 600_000L,
                Updated = updated, Version = contractVersion,
            });
            currencyOf.Add(new { Deal = deal.Id, Currency = currency });
        }

        await connection.ExecuteAsync("UPDATE deals SET currency = @Currency WHERE id = @Deal", currencyOf, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO contracts (id, customer_id, deal_id, number, number_key, amount_e4, paid_e4, currency, signed_ms, rep_id, rep_unit_id,
                                   created_ms, updated_ms, version)
            VALUES (@Id, @Customer, @Deal, @Number, @Key, @Amount, @Paid, @Currency, @Signed, @Rep, @Unit, @Created, @Updated, @Version)
            """, contracts, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO payment_plan (contract_id, instalment_no, customer_id, due_date, amount_e4, paid_e4, overdue_ms, open_overdue_ms, overdue_raised, version)
            VALUES (@Contract, @No, @Customer, @Due, @Amount, @Paid, @OverdueAt, @Open, @Raised, @Version)
            """, plan, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO payments (customer_id, seq, id, contract_id, amount_e4, currency, received_ms, method, reference, reason, allocations,
                                  rep_id, actor_id, recorded_ms)
            VALUES (@Customer, @Seq, @Id, @Contract, @Amount, @Currency, @Received, @Method, @Reference, NULL, @Allocations, @Rep, @Rep, @Recorded)
            """, payments, transaction);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("ANALYZE;");
        return (contracts.Count, plan.Count);
    }
}
