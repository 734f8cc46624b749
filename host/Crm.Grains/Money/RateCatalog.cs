using System.Globalization;
using Crm.Grains.Deals;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Money;

/// <summary>
/// The company's base currency and its whole rate table as the grains read it (the level rule converts orders with it),
/// cached per silo like <see cref="DealCatalog"/>: read again after <see cref="DealCatalog.MaxAge"/> or a change made
/// through this silo. The <c>settings</c> row and the <c>currency_rates</c> table are the truth.
/// </summary>
public sealed class RateCatalog(CrmDatabase database, DealCatalog deals, TimeProvider clock)
{
    public const string BaseCurrencyKey = "base-currency";

    public const string DefaultBaseCurrency = "CNY";

    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(RateTable Table, long LoadedAtTicks);

    private sealed record RateRow(string Currency, string Day, long RateE10);

    public void Invalidate() => _snapshot = null;

    public async Task<RateTable> GetAsync()
    {
        var current = _snapshot;
        if (current is not null && clock.GetTimestamp() - current.LoadedAtTicks < DealCatalog.MaxAge.TotalSeconds * clock.TimestampFrequency)
        {
            return current.Table;
        }

        await using var connection = await database.OpenAsync();
        var baseCurrency = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = BaseCurrencyKey })
            ?? DefaultBaseCurrency;
        var rows = await connection.QueryAsync<RateRow>("SELECT currency AS Currency, day AS Day, rate_e10 AS RateE10 FROM currency_rates");
        var table = new RateTable(baseCurrency, await deals.MinorUnitsAsync(baseCurrency) ?? 2, rows.Select(r =>
            new CurrencyRate(r.Currency, DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), RateTable.FromE10(r.RateE10))));
        _snapshot = new Snapshot(table, clock.GetTimestamp());
        return table;
    }
}
