using System.Text.Json;
using Crm.Grains.Deals;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Levels;

/// <summary>
/// The company's level settings as every silo reads them (on each won deal), cached like <see cref="DealCatalog"/>:
/// read again after <see cref="DealCatalog.MaxAge"/> or a change through this silo. The <c>settings</c> row is the truth.
/// </summary>
public sealed class LevelCatalog(CrmDatabase database, Money.RateCatalog rates, TimeProvider clock)
{
    public const string SettingsKey = "customer-levels";

    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(LevelSettings Settings, long LoadedAtTicks);

    public void Invalidate() => _snapshot = null;

    /// <summary>The rate table the rule converts orders in other currencies with.</summary>
    public Task<Money.RateTable> RatesAsync() => rates.GetAsync();

    public async Task<LevelSettings> GetAsync()
    {
        var current = _snapshot;
        if (current is not null && clock.GetTimestamp() - current.LoadedAtTicks < DealCatalog.MaxAge.TotalSeconds * clock.TimestampFrequency)
        {
            return current.Settings;
        }

        await using var connection = await database.OpenAsync();
        var json = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = SettingsKey });
        var settings = json is null ? LevelSettings.Default : JsonSerializer.Deserialize<LevelSettings>(json, DealCatalog.Json)!;
        _snapshot = new Snapshot(settings, clock.GetTimestamp());
        return settings;
    }

    public async Task SaveAsync(LevelSettings settings)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key = SettingsKey, value = JsonSerializer.Serialize(settings, DealCatalog.Json) });
        Invalidate();
    }
}
