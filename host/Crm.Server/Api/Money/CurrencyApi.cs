using Crm.Client;
using Crm.Grains.Deals;
using Crm.Grains.Money;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Money;

/// <summary>
/// The company's base currency and its rate table by date: everyone reads them (and converts with them), admins keep
/// them. Reports convert with <see cref="RateTable"/>: the rate of the latest date on or before the day.
/// </summary>
public static class CurrencyApi
{
    public const int MaxRatesPerRequest = 500;

    private static readonly DateOnly FirstDay = new(2000, 1, 1);
    private static readonly DateOnly LastDay = new(2100, 12, 31);

    public static IEndpointRouteBuilder MapCurrencyApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/currency-settings").WithTags("Currencies").RequireAuthorization();
        settings.MapGet("/", GetSettings);
        settings.MapPut("/", PutSettings).RequireAuthorization(Policies.Admin);
        var rates = app.MapGroup("/api/currency-rates").WithTags("Currencies").RequireAuthorization();
        rates.MapGet("/", ListRates);
        rates.MapPut("/", PutRates).RequireAuthorization(Policies.Admin);
        rates.MapGet("/convert", Convert);
        return app;
    }

    private static async Task<Ok<CurrencySettingsDto>> GetSettings(RateStore store, DealCatalog catalog) =>
        TypedResults.Ok(await SettingsAsync(store, catalog));

    private static async Task<Results<Ok<CurrencySettingsDto>, ValidationProblem, ProblemHttpResult>> PutSettings(
        CurrencySettingsRequest request, RateStore store, DealCatalog catalog)
    {
        var code = request.BaseCurrency?.Trim();
        var validation = new Validation().Check(code is not null && await catalog.MinorUnitsAsync(code) is not null, "baseCurrency",
            "'baseCurrency' must be an ISO 4217 code the server knows (GET /api/currency-settings lists them).");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!await store.SetBaseCurrencyAsync(code!))
        {
            return ApiResults.Problem(Grains.Common.CrmError.Conflict(ErrorCodes.BaseCurrencyHasRates,
                $"Rates are stored against {await store.BaseCurrencyAsync()}; the base currency changes only while the rate table is empty."));
        }

        return TypedResults.Ok(await SettingsAsync(store, catalog));
    }

    private static async Task<Results<Ok<Page<CurrencyRateDto>>, ValidationProblem>> ListRates(
        string? currency, DateOnly? from, DateOnly? to, int? page, int? pageSize, RateStore store)
    {
        var validation = new Validation().CheckPaging(page, pageSize)
            .Check(currency is null || CurrencyCodes.IsWellFormed(currency), "currency", "'currency' is an ISO 4217 code such as USD.")
            .Date(from, "from").Date(to, "to");
        return validation.IsValid ? TypedResults.Ok(await store.RatesAsync(currency, from, to, page, pageSize)) : validation.ToProblem();
    }

    /// <summary>Adds or replaces rates: each is a known currency other than the base, a day in 2000–2100 and a rate above 0.</summary>
    private static async Task<Results<Ok<Page<CurrencyRateDto>>, ValidationProblem>> PutRates(CurrencyRatesRequest request, RateStore store, DealCatalog catalog)
    {
        var rates = request.Rates ?? [];
        var baseCurrency = await store.BaseCurrencyAsync();
        var validation = new Validation().Check(rates.Count is > 0 and <= MaxRatesPerRequest, "rates", $"Give 1 to {MaxRatesPerRequest} rates.");
        for (var i = 0; i < Math.Min(rates.Count, MaxRatesPerRequest); i++)
        {
            var rate = rates[i];
            var known = rate?.Currency is { } code && await catalog.MinorUnitsAsync(code) is not null;
            validation
                .Check(known, $"rates[{i}].currency", $"'{rate?.Currency}' is not a currency the server knows.")
                .Check(!known || rate!.Currency != baseCurrency, $"rates[{i}].currency", $"{baseCurrency} is the base currency: its rate is always 1.")
                .Check(rate?.Date is { } day && day >= FirstDay && day <= LastDay, $"rates[{i}].date", "A date between 2000-01-01 and 2100-12-31 is required.")
                .Check(rate?.Rate is > 0 and <= RateTable.MaxRate && Amounts.FitsMinorUnits(rate.Rate.Value, RateTable.RateDecimals), $"rates[{i}].rate",
                    $"A rate is more than 0 and at most {RateTable.MaxRate}, with at most {RateTable.RateDecimals} decimals.");
        }

        var keys = rates.Where(r => r?.Currency is not null && r.Date is not null).Select(r => (r.Currency, r.Date)).ToList();
        validation.Check(keys.Distinct().Count() == keys.Count, "rates", "Each currency and date appears once.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var saved = rates.Select(r => new CurrencyRate(r.Currency!, r.Date!.Value, r.Rate!.Value)).ToList();
        await store.SaveRatesAsync(saved);
        return TypedResults.Ok(new Page<CurrencyRateDto>(saved.Select(r => new CurrencyRateDto(r.Currency, r.Day, r.Rate)).ToList(), saved.Count));
    }

    /// <summary>Converts an amount to the base currency on a day (default: today, UTC).</summary>
    private static async Task<Results<Ok<ConversionDto>, ValidationProblem>> Convert(
        decimal? amount, string? currency, DateOnly? date, RateStore store, DealCatalog catalog, TimeProvider clock)
    {
        var day = date ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var validation = new Validation()
            .Check(amount is { } a && Math.Abs(a) <= Amounts.Max, "amount", $"'amount' is required, at most {Amounts.Max} either way.")
            .Check(currency is not null && await catalog.MinorUnitsAsync(currency) is not null, "currency", $"'{currency}' is not a currency the server knows.")
            .Check(day >= FirstDay && day <= LastDay, "date", "A date between 2000-01-01 and 2100-12-31.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var table = await store.TableAsync([currency!], day);
        var rate = table.RateOn(currency!, day);
        return TypedResults.Ok(new ConversionDto(amount!.Value, currency!, day, table.BaseCurrency, table.ToBase(amount.Value, currency!, day), rate?.Rate,
            rate is null || currency == table.BaseCurrency ? null : rate.Day));
    }

    private static async Task<CurrencySettingsDto> SettingsAsync(RateStore store, DealCatalog catalog) =>
        new(await store.BaseCurrencyAsync(), (await catalog.GetAsync()).Currencies.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new CurrencyDto(c.Key, c.Value)).ToList());
}
