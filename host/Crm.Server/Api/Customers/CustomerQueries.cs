using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.CustomFields;
using Crm.Grains.Customers;
using Crm.Grains.Storage;
using Crm.Server.Api.Common;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Customers;

/// <summary>Customer lists and search, answered from the read model; never by visiting grains.</summary>
public sealed class CustomerQueries(CrmDatabase database)
{
    private const string Columns = """
        id AS Id, name AS Name, company AS Company, phone AS Phone, email AS Email, tax_id AS TaxId,
        address AS Address, source AS Source, stage AS Stage, pool_id AS PoolId, owner_id AS OwnerId,
        created_ms AS CreatedMs, updated_ms AS UpdatedMs, last_follow_up_ms AS LastFollowUpMs, version AS Version,
        (SELECT cc.fields_json FROM customer_cards cc WHERE cc.customer_id = customers.id) AS FieldsJson,
        (SELECT cc.level FROM customer_cards cc WHERE cc.customer_id = customers.id) AS Level
        """;

    private sealed record Row(string Id, string Name, string? Company, string? Phone, string? Email, string? TaxId,
        string? Address, string? Source, string Stage, string PoolId, string? OwnerId, long CreatedMs, long UpdatedMs,
        long? LastFollowUpMs, long Version, string? FieldsJson, string? Level)
    {
        public CustomerDto ToDto() => new(Guid.Parse(Id), Name, Company, Phone, Email, TaxId, Address, Source,
            Enum.Parse<Stage>(Stage, ignoreCase: true), PoolId, OwnerId, UnixTime.FromMs(CreatedMs), UnixTime.FromMs(UpdatedMs),
            UnixTime.FromMs(LastFollowUpMs), Version, Level: Level,
            CustomFields: FieldsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(FieldsJson));
    }

    /// <summary>
    /// The customers that match the filter, among those the caller may see: a page by number, or the page after a cursor
    /// (<paramref name="after"/>). Either answers the cursor of its last item while the page is full (there may be more).
    /// </summary>
    public async Task<Page<CustomerDto>> SearchAsync(CustomerFilter filter, Visibility visibility, int? page, int? pageSize, CustomerCursor? after = null)
    {
        var args = new DynamicParameters();
        var where = Where(filter, visibility, args);
        var (limit, offset) = after is null ? Paging.LimitOffset(page, pageSize) : (pageSize ?? Paging.DefaultPageSize, 0);
        args.Add("limit", limit);
        args.Add("offset", offset);

        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM customers WHERE {where}", args);
        var rows = (await connection.QueryAsync<Row>(
            $"SELECT {Columns} FROM customers WHERE {After(where, after, args)} ORDER BY created_ms DESC, id LIMIT @limit OFFSET @offset", args)).ToList();
        var next = rows.Count == limit && limit > 0 ? new CustomerCursor(rows[^1].CreatedMs, rows[^1].Id).Encode() : null;
        return new Page<CustomerDto>(rows.Select(r => r.ToDto()).ToList(), total, next);
    }

    /// <summary>
    /// The next <paramref name="count"/> customers after <paramref name="after"/> in the list's order (newest first): a
    /// walk through a whole list that customers created or removed meanwhile neither shifts nor makes repeat (an offset does).
    /// </summary>
    public async Task<IReadOnlyList<CustomerDto>> PageAfterAsync(CustomerFilter filter, Visibility visibility, CustomerDto? after, int count)
    {
        var args = new DynamicParameters();
        var where = After(Where(filter, visibility, args), after is null ? null : new CustomerCursor(UnixTime.ToMs(after.CreatedAt), after.Id.ToString()), args);
        args.Add("count", count);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM customers WHERE {where} ORDER BY created_ms DESC, id LIMIT @count", args);
        return rows.Select(r => r.ToDto()).ToList();
    }

    /// <summary>The condition narrowed to what comes after the cursor in the lists' order (newest first, then by id).</summary>
    private static StringBuilder After(StringBuilder where, CustomerCursor? after, DynamicParameters args)
    {
        if (after is { } cursor)
        {
            where = new StringBuilder(where.ToString()).Append(" AND (created_ms < @afterMs OR (created_ms = @afterMs AND id > @afterId))");
            args.Add("afterMs", cursor.CreatedMs);
            args.Add("afterId", cursor.Id);
        }

        return where;
    }

    private static StringBuilder Where(CustomerFilter filter, Visibility visibility, DynamicParameters args)
    {
        var where = new StringBuilder($"version > 0 AND {visibility.Customers(args)}");
        if (!string.IsNullOrWhiteSpace(filter.Query))
        {
            // Folded as the stored column is (rows written before it folded ё were folded at start-up: 77-search-folded.sql):
            // a full-width query (１３９００１３９０００, Ｆｕｌｌｗｉｄｔｈ) is compared half-width, as create, check and import store.
            var text = CustomerRow.Folded(filter.Query).Trim();
            var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
            var national = PhoneSearch.National(digits);
            where.Append(" AND (search LIKE @text ESCAPE '\\'")
                // The search column holds the phone's digits too, and PostgreSQL's trigram index serves it (phone_digits has none).
                .Append(digits.Length >= 3 && digits != text ? " OR search LIKE @digits" : "")
                .Append(national is not null ? " OR search LIKE @national" : "")
                .Append(')');
            args.Add("text", $"%{EscapeLike(text)}%");
            args.Add("digits", $"%{digits}%");
            args.Add("national", $"%{national}%");
        }

        if (filter.PoolId is not null)
        {
            where.Append(" AND pool_id = @poolId");
            args.Add("poolId", filter.PoolId);
        }

        if (filter.OwnerId is not null)
        {
            where.Append(" AND owner_id = @ownerId");
            args.Add("ownerId", filter.OwnerId);
        }

        if (filter.UnownedOnly)
        {
            where.Append(" AND owner_id IS NULL");
        }

        if (filter.Stage is { } stage)
        {
            where.Append(" AND stage = @stage");
            args.Add("stage", stage.ToString().ToLowerInvariant());
        }

        if (filter.StatusPool is { } statusPool)
        {
            where.Append(" AND id IN (SELECT id FROM customer_status_pools WHERE status_pool = @statusPool)");
            args.Add("statusPool", statusPool.ToString().ToLowerInvariant());
        }

        if (filter.Level is not null)
        {
            where.Append(" AND id IN (SELECT customer_id FROM customer_cards WHERE level = @level)");
            args.Add("level", filter.Level);
        }

        for (var i = 0; i < filter.Fields.Count; i++)
        {
            // A number field's value matches however it is written (1500.50, 1500.5); a text's only as written (007 is not 7).
            var (key, value) = (filter.Fields[i].Key, filter.Fields[i].Value);
            where.Append($" AND id IN (SELECT customer_id FROM customer_field_values WHERE field_key = @fieldKey{i} AND value IN (@fieldValue{i}, @fieldNumber{i}))");
            args.Add($"fieldKey{i}", key);
            args.Add($"fieldValue{i}", value);
            args.Add($"fieldNumber{i}", filter.NumberFields.Contains(key) ? CustomValue.PlainText(value) ?? value : value);
        }

        return where;
    }

    /// <summary>
    /// Whether the caller may see a customer: single reads ask this first and answer 404 when it says no, so a
    /// customer outside the caller's reach is indistinguishable from one that does not exist.
    /// </summary>
    public async Task<bool> IsVisibleAsync(Guid id, Visibility visibility)
    {
        var args = new DynamicParameters(new { id = id.ToString() });
        var condition = visibility.Customers(args);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM customers WHERE id = @id AND version > 0 AND {condition}", args) > 0;
    }

    /// <summary>Every customer id the read model knows, in pages: the input of a projection rebuild.</summary>
    public async Task<IReadOnlyList<Guid>> IdsAfterAsync(string? afterId, int count)
    {
        await using var connection = await database.OpenAsync();
        var ids = await connection.QueryAsync<string>(
            "SELECT id FROM customers WHERE id > @afterId ORDER BY id LIMIT @count", new { afterId = afterId ?? "", count });
        return ids.Select(Guid.Parse).ToList();
    }

    /// <summary>The names of those of the customers the caller sees; the others are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> ids, Visibility visibility)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        await using var connection = await database.OpenAsync();
        var args = new DynamicParameters();
        var rows = await connection.QueryAsync<(string Id, string Name)>(
            $"SELECT id, name FROM customers WHERE {SqlIn.List("id", ids.Select(i => i.ToString()).ToList(), args, "id")} AND {visibility.Customers(args)}", args);
        return rows.ToDictionary(r => Guid.Parse(r.Id), r => r.Name);
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
