using System.Globalization;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Deals;
using Crm.Grains.Money;
using Crm.Grains.Storage;
using Crm.Server.Api.Common;
using Dapper;

namespace Crm.Server.Api.Money;

/// <summary>
/// The company's base currency (setting <c>base-currency</c>, CNY until an admin sets another) and its rate table
/// (<c>currency_rates</c>: one rate per currency and day, to the base currency).
/// </summary>
public sealed class RateStore(CrmDatabase database, DealCatalog catalog, RateCatalog cached, TimeProvider clock)
{
    public const string BaseCurrencyKey = RateCatalog.BaseCurrencyKey;

    public const string DefaultBaseCurrency = RateCatalog.DefaultBaseCurrency;

    private sealed record RateRow(string Currency, string Day, long RateE10)
    {
        public CurrencyRate ToRate() => new(Currency, DateOnly.ParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), RateTable.FromE10(RateE10));
    }

    public async Task<string> BaseCurrencyAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = BaseCurrencyKey }) ?? DefaultBaseCurrency;
    }

    /// <summary>Sets the base currency; false (nothing changed) while rates to another base exist.</summary>
    public async Task<bool> SetBaseCurrencyAsync(string currency)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var current = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = BaseCurrencyKey }, transaction)
            ?? DefaultBaseCurrency;
        if (current != currency && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM currency_rates", transaction: transaction) > 0)
        {
            return false;
        }

        await connection.ExecuteAsync("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key = BaseCurrencyKey, value = currency }, transaction);
        await transaction.CommitAsync();
        cached.Invalidate();
        return true;
    }

    public async Task<Page<CurrencyRateDto>> RatesAsync(string? currency, DateOnly? from, DateOnly? to, int? page, int? pageSize)
    {
        var args = new DynamicParameters();
        var where = new List<string> { "1 = 1" };
        if (currency is not null)
        {
            where.Add("currency = @currency");
            args.Add("currency", currency);
        }

        if (from is { } f)
        {
            where.Add("day >= @from");
            args.Add("from", Day(f));
        }

        if (to is { } t)
        {
            where.Add("day <= @to");
            args.Add("to", Day(t));
        }

        var (limit, offset) = Paging.LimitOffset(page, pageSize);
        args.Add("limit", limit);
        args.Add("offset", offset);
        var condition = string.Join(" AND ", where);
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM currency_rates WHERE {condition}", args);
        var rows = await connection.QueryAsync<RateRow>(
            $"SELECT currency AS Currency, day AS Day, rate_e10 AS RateE10 FROM currency_rates WHERE {condition} ORDER BY currency, day DESC LIMIT @limit OFFSET @offset", args);
        return new Page<CurrencyRateDto>(rows.Select(r => r.ToRate()).Select(r => new CurrencyRateDto(r.Currency, r.Day, r.Rate)).ToList(), total);
    }

    /// <summary>Stores rates (a rate for a currency and day that exists is replaced), all in one transaction.</summary>
    public async Task SaveRatesAsync(IReadOnlyList<CurrencyRate> rates)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var rate in rates)
        {
            await connection.ExecuteAsync("""
                INSERT INTO currency_rates (currency, day, rate_e10, updated_ms) VALUES (@currency, @day, @rate, @now)
                ON CONFLICT (currency, day) DO UPDATE SET rate_e10 = excluded.rate_e10, updated_ms = excluded.updated_ms
                """, new { currency = rate.Currency, day = Day(rate.Day), rate = RateTable.ToE10(rate.Rate), now }, transaction);
        }

        await transaction.CommitAsync();
        cached.Invalidate();
    }

    /// <summary>A converter for the given currencies with every rate up to <paramref name="upTo"/> (the older ones answer earlier days).</summary>
    public async Task<RateTable> TableAsync(IReadOnlyCollection<string> currencies, DateOnly upTo)
    {
        var baseCurrency = await BaseCurrencyAsync();
        var baseUnits = await catalog.MinorUnitsAsync(baseCurrency) ?? 2;
        var wanted = currencies.Where(c => c != baseCurrency).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return new RateTable(baseCurrency, baseUnits, []);
        }

        var args = new DynamicParameters();
        args.Add("upTo", Day(upTo));
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<RateRow>(
            $"SELECT currency AS Currency, day AS Day, rate_e10 AS RateE10 FROM currency_rates WHERE day <= @upTo AND {SqlIn.List("currency", wanted, args, "cur")}", args);
        return new RateTable(baseCurrency, baseUnits, rows.Select(r => r.ToRate()));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
