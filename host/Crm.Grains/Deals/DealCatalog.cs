using System.Text.Json;
using Crm.Grains.Common;
using Crm.Grains.Org;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Deals;

/// <summary>
/// The deals' configuration as every silo reads it on the hot path: pipelines, currencies and lose reasons, held in
/// memory and read again when <see cref="MaxAge"/> passed or a change went through this silo (<see cref="Invalidate"/>).
/// Another silo's change reaches this one within <see cref="MaxAge"/>. The tables are the truth.
/// </summary>
public sealed class DealCatalog(CrmDatabase database, OrgTreeCache tree, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    public const string LoseReasonsKey = "deal-lose-reasons";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private volatile Snapshot? _snapshot;

    public sealed record Snapshot(
        IReadOnlyList<Pipeline> Pipelines,
        IReadOnlyDictionary<string, int> Currencies,
        IReadOnlyList<LoseReason> LoseReasons,
        long LoadedAtTicks);

    private sealed record PipelineRow(string Id, string Name, string? OrgUnitId, long IsDefault, string StagesJson, long CreatedMs, long UpdatedMs);

    public void Invalidate() => _snapshot = null;

    public async Task<Snapshot> GetAsync()
    {
        var current = _snapshot;
        if (current is not null && clock.GetTimestamp() - current.LoadedAtTicks < MaxAge.TotalSeconds * clock.TimestampFrequency)
        {
            return current;
        }

        await using var connection = await database.OpenAsync();
        var pipelines = (await connection.QueryAsync<PipelineRow>("""
            SELECT id AS Id, name AS Name, org_unit_id AS OrgUnitId, is_default AS IsDefault, stages_json AS StagesJson,
                   created_ms AS CreatedMs, updated_ms AS UpdatedMs
            FROM pipelines ORDER BY created_ms, id
            """)).Select(r => new Pipeline(r.Id, r.Name, r.OrgUnitId, r.IsDefault != 0,
                JsonSerializer.Deserialize<List<PipelineStage>>(r.StagesJson, Json)!, UnixTime.FromMs(r.CreatedMs), UnixTime.FromMs(r.UpdatedMs)))
            .ToList();
        var currencies = (await connection.QueryAsync<(string Code, long MinorUnits)>("SELECT code, minor_units FROM currencies"))
            .ToDictionary(c => c.Code, c => (int)c.MinorUnits, StringComparer.Ordinal);
        var reasonsJson = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = LoseReasonsKey });
        var reasons = reasonsJson is null ? LoseReason.Defaults : JsonSerializer.Deserialize<List<LoseReason>>(reasonsJson, Json)!;
        var loaded = new Snapshot(pipelines, currencies, reasons, clock.GetTimestamp());
        _snapshot = loaded;
        return loaded;
    }

    public async Task<Pipeline?> PipelineAsync(string id) => (await GetAsync()).Pipelines.FirstOrDefault(p => p.Id == id);

    /// <summary>The minor units of a currency the server knows, or null.</summary>
    public async Task<int?> MinorUnitsAsync(string currency) =>
        (await GetAsync()).Currencies.TryGetValue(currency, out var units) ? units : null;

    /// <summary>
    /// The pipeline a deal of a customer in the unit at <paramref name="unitPath"/> gets when it names none: the default
    /// of the nearest unit above (or at) it that has one, else the company's.
    /// </summary>
    public async Task<Pipeline?> DefaultForAsync(string? unitPath)
    {
        Pipeline? nearest = null;
        var nearestDepth = -1;
        var defaults = (await GetAsync()).Pipelines.Where(p => p.IsDefault).ToList();
        foreach (var pipeline in defaults.Where(p => p.OrgUnitId is not null))
        {
            var path = await tree.PathOf(pipeline.OrgUnitId!);
            if (path is not null && OrgPaths.Reaches(path, unitPath) && path.Length > nearestDepth)
            {
                (nearest, nearestDepth) = (pipeline, path.Length);
            }
        }

        return nearest ?? defaults.FirstOrDefault(p => p.OrgUnitId is null && p.Id == Pipeline.DefaultId) ?? defaults.FirstOrDefault(p => p.OrgUnitId is null);
    }

    /// <summary>Whether a pipeline may serve a customer of the unit at <paramref name="unitPath"/>: company-wide, or of a unit above or at it.</summary>
    public async Task<bool> ServesAsync(Pipeline pipeline, string? unitPath) =>
        pipeline.OrgUnitId is null || OrgPaths.Reaches(await tree.PathOf(pipeline.OrgUnitId), unitPath);
}
