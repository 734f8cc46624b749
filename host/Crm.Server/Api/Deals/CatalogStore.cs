using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Deals;
using Crm.Grains.Money;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.Deals;

/// <summary>
/// Writes of the deals' catalogue (pipelines, products, lose reasons) and the product reads; every write invalidates
/// this silo's <see cref="DealCatalog"/>, the others see it within <see cref="DealCatalog.MaxAge"/>.
/// </summary>
public sealed class CatalogStore(CrmDatabase database, DealCatalog catalog, TimeProvider clock)
{
    private const string ProductColumns = """
        id AS Id, name AS Name, sku AS Sku, unit AS Unit, list_price_e4 AS ListPriceE4, currency AS Currency, active AS Active,
        created_ms AS CreatedMs, updated_ms AS UpdatedMs
        """;

    private sealed record ProductRow(string Id, string Name, string Sku, string? Unit, long ListPriceE4, string Currency, long Active, long CreatedMs, long UpdatedMs)
    {
        public ProductDto ToDto() => new(Id, Name, Sku, Unit, Amounts.FromE4(ListPriceE4), Currency, Active != 0, UnixTime.FromMs(CreatedMs), UnixTime.FromMs(UpdatedMs));
    }

    public async Task<Pipeline> SavePipelineAsync(string id, PipelineRequest request, Pipeline? existing)
    {
        var now = clock.GetUtcNow();
        var stages = request.Stages!.Select(s => new PipelineStage(s.Key, CatalogMappings.ToGrains(s.Names), s.Probability)).ToList();
        var pipeline = new Pipeline(id, request.Name!.Trim(), request.OrgUnitId, request.IsDefault ?? existing?.IsDefault ?? false, stages,
            existing?.CreatedAt ?? now, now);
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (pipeline.IsDefault)
        {
            // One default per unit (and one company-wide).
            await connection.ExecuteAsync(pipeline.OrgUnitId is null
                ? "UPDATE pipelines SET is_default = 0 WHERE org_unit_id IS NULL AND id <> @id"
                : "UPDATE pipelines SET is_default = 0 WHERE org_unit_id = @unit AND id <> @id", new { id, unit = pipeline.OrgUnitId }, transaction);
        }

        await connection.ExecuteAsync("""
            INSERT INTO pipelines (id, name, org_unit_id, is_default, stages_json, created_ms, updated_ms)
            VALUES (@Id, @Name, @OrgUnitId, @IsDefault, @StagesJson, @CreatedMs, @UpdatedMs)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, org_unit_id = excluded.org_unit_id, is_default = excluded.is_default,
                stages_json = excluded.stages_json, updated_ms = excluded.updated_ms
            """, new
        {
            pipeline.Id,
            pipeline.Name,
            pipeline.OrgUnitId,
            IsDefault = pipeline.IsDefault ? 1L : 0L,
            StagesJson = JsonSerializer.Serialize(stages, DealCatalog.Json),
            CreatedMs = UnixTime.ToMs(pipeline.CreatedAt),
            UpdatedMs = UnixTime.ToMs(pipeline.UpdatedAt),
        }, transaction);
        await transaction.CommitAsync();
        catalog.Invalidate();
        return pipeline;
    }

    public async Task SaveLoseReasonsAsync(IReadOnlyList<LoseReason> reasons)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key = DealCatalog.LoseReasonsKey, value = JsonSerializer.Serialize(reasons, DealCatalog.Json) });
        catalog.Invalidate();
    }

    public async Task<IReadOnlyList<ProductDto>> ProductsAsync(bool? active, string? query)
    {
        var where = new List<string> { "1 = 1" };
        var args = new DynamicParameters();
        if (active is { } isActive)
        {
            where.Add("active = @active");
            args.Add("active", isActive ? 1L : 0L);
        }

        if (!string.IsNullOrWhiteSpace(query))
        {
            where.Add("(sku_key LIKE @query OR LOWER(name) LIKE @query)");
            args.Add("query", $"%{query.Trim().ToLowerInvariant()}%");
        }

        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<ProductRow>($"SELECT {ProductColumns} FROM products WHERE {string.Join(" AND ", where)} ORDER BY name, id LIMIT 1000", args);
        return rows.Select(r => r.ToDto()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, ProductDto>> ProductsByIdAsync(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<string, ProductDto>();
        }

        await using var connection = await database.OpenAsync();
        var args = new DynamicParameters();
        var rows = await connection.QueryAsync<ProductRow>($"SELECT {ProductColumns} FROM products WHERE {SqlIn.List("id", ids.ToList(), args, "id")}", args);
        return rows.ToDictionary(r => r.Id, r => r.ToDto());
    }

    /// <summary>Saves a product; null when another product has the SKU.</summary>
    public async Task<ProductDto?> SaveProductAsync(string id, ProductRequest request, ProductDto? existing)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        await using var connection = await database.OpenAsync();
        var skuKey = request.Sku!.Trim().ToLowerInvariant();
        var taken = await connection.ExecuteScalarAsync<string?>("SELECT id FROM products WHERE sku_key = @skuKey", new { skuKey });
        if (taken is not null && taken != id)
        {
            return null;
        }

        await connection.ExecuteAsync("""
            INSERT INTO products (id, name, sku, sku_key, unit, list_price_e4, currency, active, created_ms, updated_ms)
            VALUES (@id, @name, @sku, @skuKey, @unit, @price, @currency, @active, @created, @updated)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, sku = excluded.sku, sku_key = excluded.sku_key, unit = excluded.unit,
                list_price_e4 = excluded.list_price_e4, currency = excluded.currency, active = excluded.active, updated_ms = excluded.updated_ms
            """, new
        {
            id,
            name = request.Name!.Trim(),
            sku = request.Sku.Trim(),
            skuKey,
            unit = string.IsNullOrWhiteSpace(request.Unit) ? null : request.Unit.Trim(),
            price = Amounts.ToE4(request.ListPrice!.Value),
            currency = request.Currency!,
            active = request.Active ?? true ? 1L : 0L,
            created = existing is null ? now : UnixTime.ToMs(existing.CreatedAt),
            updated = now,
        });
        return (await ProductsByIdAsync([id]))[id];
    }
}
