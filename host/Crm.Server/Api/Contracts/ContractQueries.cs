using System.Globalization;
using System.Text;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Contracts;
using Crm.Grains.Money;
using Crm.Grains.Storage;
using Crm.Server.Api.Common;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Contracts;

/// <summary>
/// Contracts, their plans, payments and the receivables, from the read model (joined to the customer's row for the
/// visibility rules); never by visiting grains.
/// </summary>
public sealed class ContractQueries(CrmDatabase database)
{
    private const string ContractColumns = """
        k.id AS Id, k.number AS Number, k.customer_id AS CustomerId, k.deal_id AS DealId, k.amount_e4 AS AmountE4, k.paid_e4 AS PaidE4,
        k.currency AS Currency, k.signed_ms AS SignedMs, k.rep_id AS RepId, k.created_ms AS CreatedMs
        """;

    private sealed record ContractRow(string Id, string Number, string CustomerId, string DealId, long AmountE4, long PaidE4, string Currency,
        long SignedMs, string RepId, long CreatedMs)
    {
        public ContractDto ToDto(IReadOnlyList<InstalmentDto>? plan = null, IReadOnlyList<PaymentDto>? payments = null) => new(Id, Number,
            Guid.Parse(CustomerId), DealId, Amounts.FromE4(AmountE4), Currency, UnixTime.FromMs(SignedMs), RepId, Amounts.FromE4(PaidE4),
            Amounts.FromE4(AmountE4 - PaidE4), UnixTime.FromMs(CreatedMs), plan, payments);
    }

    private sealed record InstalmentRow(long No, string DueDate, long AmountE4, long PaidE4, long OverdueMs);

    private sealed record PaymentRow(string Id, string ContractId, string CustomerId, long AmountE4, string Currency, long ReceivedMs, string Method,
        string? Reference, string? Reason, string Allocations, string? ActorId, long RecordedMs);

    private sealed record ReceivableRow(string ContractId, string Number, string CustomerId, string CustomerName, string RepId, long No, string DueDate,
        long AmountE4, long PaidE4, string Currency, long OverdueMs);

    private sealed record DealRow(string CustomerId, string Currency);

    /// <summary>A class, not a record: SQLite types an aggregate over no rows as a blob, which a constructor match refuses.</summary>
    private sealed class TotalRow
    {
        public string Currency { get; set; } = "";
        public long DueE4 { get; set; }
        public long PaidE4 { get; set; }
    }

    /// <summary>The customer and currency of a deal, from the read model (written in the customer's commit).</summary>
    public async Task<(Guid CustomerId, string Currency)?> DealAsync(string dealId)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<DealRow>(
            "SELECT customer_id AS CustomerId, currency AS Currency FROM deals WHERE id = @dealId", new { dealId });
        return row is null ? null : (Guid.Parse(row.CustomerId), row.Currency);
    }

    public async Task<Guid?> CustomerOfAsync(string contractId)
    {
        await using var connection = await database.OpenAsync();
        var id = await connection.ExecuteScalarAsync<string?>("SELECT customer_id FROM contracts WHERE id = @contractId", new { contractId });
        return id is null ? null : Guid.Parse(id);
    }

    /// <summary>One contract with its plan and payments (oldest first).</summary>
    public async Task<ContractDto?> GetAsync(string contractId, DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync();
        var contract = await connection.QuerySingleOrDefaultAsync<ContractRow>($"SELECT {ContractColumns} FROM contracts k WHERE k.id = @contractId", new { contractId });
        if (contract is null)
        {
            return null;
        }

        var plan = await connection.QueryAsync<InstalmentRow>("""
            SELECT instalment_no AS No, due_date AS DueDate, amount_e4 AS AmountE4, paid_e4 AS PaidE4, overdue_ms AS OverdueMs
            FROM payment_plan WHERE contract_id = @contractId ORDER BY instalment_no
            """, new { contractId });
        var payments = await connection.QueryAsync<PaymentRow>("""
            SELECT id AS Id, contract_id AS ContractId, customer_id AS CustomerId, amount_e4 AS AmountE4, currency AS Currency, received_ms AS ReceivedMs,
                   method AS Method, reference AS Reference, reason AS Reason, allocations AS Allocations, actor_id AS ActorId, recorded_ms AS RecordedMs
            FROM payments WHERE contract_id = @contractId ORDER BY seq
            """, new { contractId });
        return contract.ToDto(
            plan.Select(i => Instalment(i.No, i.DueDate, i.AmountE4, i.PaidE4, i.OverdueMs, now)).ToList(),
            payments.Select(p => new PaymentDto(p.Id, p.ContractId, Guid.Parse(p.CustomerId), Amounts.FromE4(p.AmountE4), p.Currency, UnixTime.FromMs(p.ReceivedMs),
                p.Method, p.Reference, p.Reason, Allocations(p.Allocations), p.ActorId, UnixTime.FromMs(p.RecordedMs))).ToList());
    }

    /// <summary>The contracts that match, among those of the customers the caller may see, most recently signed first.</summary>
    public async Task<Page<ContractDto>> ListAsync(ContractFilter filter, Visibility visibility, int? page, int? pageSize)
    {
        var args = new DynamicParameters();
        var where = new StringBuilder($"c.version > 0 AND {visibility.Customers(args, "c")}");
        Add(where, args, "k.rep_id = @repId", "repId", filter.RepId);
        Add(where, args, "k.customer_id = @customerId", "customerId", filter.CustomerId);
        Add(where, args, "k.deal_id = @dealId", "dealId", filter.DealId);
        Add(where, args, "k.signed_ms >= @signedFrom", "signedFrom", filter.SignedFromMs);
        Add(where, args, "k.signed_ms < @signedBefore", "signedBefore", filter.SignedBeforeMs);
        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        args.Add("limit", limit);
        args.Add("offset", offset);

        const string From = "contracts k JOIN customers c ON c.id = k.customer_id";
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {From} WHERE {where}", args);
        var rows = await connection.QueryAsync<ContractRow>($"SELECT {ContractColumns} FROM {From} WHERE {where} ORDER BY k.signed_ms DESC, k.id LIMIT @limit OFFSET @offset", args);
        return new Page<ContractDto>(rows.Select(r => r.ToDto()).ToList(), total);
    }

    /// <summary>The instalments not fully paid that match, earliest due first, with the totals per currency of all that match.</summary>
    public async Task<(Page<ReceivableDto> Page, IReadOnlyList<CurrencyTotalDto> Totals)> ReceivablesAsync(
        ReceivableFilter filter, Visibility visibility, DateTimeOffset now, int? page, int? pageSize)
    {
        var args = new DynamicParameters();
        var where = new StringBuilder($"p.paid_e4 < p.amount_e4 AND c.version > 0 AND {visibility.Customers(args, "c")}");
        Add(where, args, "p.overdue_ms <= @now", "now", filter.Overdue == true ? UnixTime.ToMs(now) : null);
        Add(where, args, "p.overdue_ms > @notYet", "notYet", filter.Overdue == false ? UnixTime.ToMs(now) : null);
        Add(where, args, "c.org_unit_id IN (SELECT su.id FROM org_units su JOIN org_units sr ON su.path LIKE sr.path || '%' WHERE sr.id = @scope)",
            "scope", filter.ScopeUnitId);
        Add(where, args, "k.rep_id = @repId", "repId", filter.RepId);
        Add(where, args, "p.customer_id = @customerId", "customerId", filter.CustomerId);
        Add(where, args, "p.due_date <= @dueUntil", "dueUntil", filter.DueUntil);
        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        args.Add("limit", limit);
        args.Add("offset", offset);

        const string From = "payment_plan p JOIN contracts k ON k.id = p.contract_id JOIN customers c ON c.id = p.customer_id";
        await using var connection = await database.OpenAsync();
        var totals = (await connection.QueryAsync<TotalRow>(
            $"SELECT k.currency AS Currency, CAST(SUM(p.amount_e4) AS BIGINT) AS DueE4, CAST(SUM(p.paid_e4) AS BIGINT) AS PaidE4 FROM {From} WHERE {where} GROUP BY k.currency ORDER BY k.currency",
            args)).ToList();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {From} WHERE {where}", args);
        var rows = await connection.QueryAsync<ReceivableRow>($"""
            SELECT p.contract_id AS ContractId, k.number AS Number, p.customer_id AS CustomerId, c.name AS CustomerName, k.rep_id AS RepId,
                   p.instalment_no AS No, p.due_date AS DueDate, p.amount_e4 AS AmountE4, p.paid_e4 AS PaidE4, k.currency AS Currency, p.overdue_ms AS OverdueMs
            FROM {From} WHERE {where} ORDER BY p.due_date, p.contract_id, p.instalment_no LIMIT @limit OFFSET @offset
            """, args);
        var items = rows.Select(r =>
        {
            var overdueAt = UnixTime.FromMs(r.OverdueMs);
            return new ReceivableDto(r.ContractId, r.Number, Guid.Parse(r.CustomerId), r.CustomerName, r.RepId, (int)r.No, Date(r.DueDate),
                Amounts.FromE4(r.AmountE4), Amounts.FromE4(r.PaidE4), Amounts.FromE4(r.AmountE4 - r.PaidE4), r.Currency, overdueAt <= now,
                ContractRules.DaysOverdue(overdueAt, now));
        }).ToList();
        return (new Page<ReceivableDto>(items, total),
            totals.Select(t => new CurrencyTotalDto(t.Currency, Amounts.FromE4(t.DueE4), Amounts.FromE4(t.PaidE4), Amounts.FromE4(t.DueE4 - t.PaidE4))).ToList());
    }

    public static InstalmentDto Instalment(long no, string dueDate, long amountE4, long paidE4, long overdueMs, DateTimeOffset now) =>
        new((int)no, Date(dueDate), Amounts.FromE4(amountE4), Amounts.FromE4(paidE4), Amounts.FromE4(amountE4 - paidE4), UnixTime.FromMs(overdueMs),
            paidE4 < amountE4 && UnixTime.FromMs(overdueMs) <= now);

    private static IReadOnlyList<PaymentAllocationDto> Allocations(string stored) => stored.Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(part => part.Split(':'))
        .Select(p => new PaymentAllocationDto(int.Parse(p[0], CultureInfo.InvariantCulture), Amounts.FromE4(long.Parse(p[1], CultureInfo.InvariantCulture))))
        .ToList();

    private static DateOnly Date(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Add(StringBuilder where, DynamicParameters args, string condition, string name, object? value)
    {
        if (value is not null)
        {
            where.Append(" AND ").Append(condition);
            args.Add(name, value);
        }
    }
}
