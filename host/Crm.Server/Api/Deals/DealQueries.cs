using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Money;
using Crm.Grains.Storage;
using Crm.Server.Api.Common;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Deals;

/// <summary>Deal lists from the read model (<c>deals</c> joined to its customer's row for the visibility rules); never by visiting grains.</summary>
public sealed class DealQueries(CrmDatabase database)
{
    private const string Columns = """
        d.id AS Id, d.customer_id AS CustomerId, d.title AS Title, d.amount_e4 AS AmountE4, d.currency AS Currency, d.rep_id AS RepId,
        d.pipeline_id AS PipelineId, d.stage_key AS StageKey, d.probability AS Probability, d.status AS Status,
        d.expected_close_ms AS ExpectedCloseMs, d.created_ms AS CreatedMs, d.updated_ms AS UpdatedMs, d.closed_ms AS ClosedMs,
        d.lose_reason AS LoseReason, (SELECT dc.fields_json FROM deal_cards dc WHERE dc.deal_id = d.id) AS FieldsJson
        """;

    private sealed record Row(string Id, string CustomerId, string Title, long AmountE4, string Currency, string RepId, string PipelineId,
        string StageKey, long Probability, string Status, long? ExpectedCloseMs, long CreatedMs, long UpdatedMs, long? ClosedMs, string? LoseReason,
        string? FieldsJson)
    {
        public DealDto ToDto() => new(Id, Guid.Parse(CustomerId), Title, Amounts.FromE4(AmountE4), Currency, RepId, PipelineId, StageKey,
            (int)Probability, Enum.Parse<DealStatus>(Status, ignoreCase: true),
            ExpectedCloseMs is { } close ? DateOnly.FromDateTime(UnixTime.FromMs(close).UtcDateTime) : null,
            UnixTime.FromMs(CreatedMs), UnixTime.FromMs(UpdatedMs), UnixTime.FromMs(ClosedMs), LoseReason,
            CustomFields: FieldsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(FieldsJson));
    }

    private sealed record LineRow(string? ProductId, string Name, long QuantityE4, long UnitPriceE4, long DiscountE4, long TotalE4);

    /// <summary>The customer a deal belongs to (the read model is written in the customer's commit, so it knows every deal).</summary>
    public async Task<Guid?> CustomerOfAsync(string dealId)
    {
        await using var connection = await database.OpenAsync();
        var id = await connection.ExecuteScalarAsync<string?>("SELECT customer_id FROM deals WHERE id = @dealId", new { dealId });
        return id is null ? null : Guid.Parse(id);
    }

    /// <summary>The deals that match, among those of the customers the caller may see, newest first.</summary>
    public async Task<Page<DealDto>> ListAsync(DealFilter filter, Visibility visibility, int? page, int? pageSize)
    {
        var args = new DynamicParameters();
        var where = new StringBuilder($"c.version > 0 AND {visibility.Customers(args, "c")}");
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(condition);
                args.Add(name, value);
            }
        }

        Add("d.rep_id = @repId", "repId", filter.RepId);
        Add("d.stage_key = @stageKey", "stageKey", filter.StageKey);
        Add("d.status = @status", "status", filter.Status);
        Add("d.expected_close_ms < @closingBefore", "closingBefore", filter.ClosingBeforeMs);
        Add("d.customer_id = @customerId", "customerId", filter.CustomerId);
        Add("d.pipeline_id = @pipelineId", "pipelineId", filter.PipelineId);
        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        args.Add("limit", limit);
        args.Add("offset", offset);

        const string From = "deals d JOIN customers c ON c.id = d.customer_id";
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {From} WHERE {where}", args);
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM {From} WHERE {where} ORDER BY d.created_ms DESC, d.id LIMIT @limit OFFSET @offset", args);
        return new Page<DealDto>(rows.Select(r => r.ToDto()).ToList(), total);
    }

    public async Task<IReadOnlyList<DealLineDto>> LinesAsync(string dealId)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<LineRow>("""
            SELECT product_id AS ProductId, name AS Name, quantity_e4 AS QuantityE4, unit_price_e4 AS UnitPriceE4, discount_e4 AS DiscountE4,
                   total_e4 AS TotalE4
            FROM deal_lines WHERE deal_id = @dealId ORDER BY line_no
            """, new { dealId });
        return rows.Select(r => new DealLineDto(r.ProductId, r.Name, Amounts.FromE4(r.QuantityE4), Amounts.FromE4(r.UnitPriceE4),
            Amounts.FromE4(r.DiscountE4), Amounts.FromE4(r.TotalE4))).ToList();
    }
}
