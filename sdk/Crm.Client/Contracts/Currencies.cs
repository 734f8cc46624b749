using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

/// <summary>A currency the server knows: its ISO 4217 code and the decimals its amounts are rounded to.</summary>
public sealed record CurrencyDto(string Code, int MinorUnits);

/// <summary>The company's base currency (what reports convert to) and the currencies the server knows.</summary>
public sealed record CurrencySettingsDto(string BaseCurrency, IReadOnlyList<CurrencyDto> Currencies);

public sealed record CurrencySettingsRequest(string? BaseCurrency);

/// <summary>One unit of <see cref="Currency"/> is worth <see cref="Rate"/> of the base currency from <see cref="Date"/> until the next rate.</summary>
public sealed record CurrencyRateDto(string Currency, DateOnly Date, decimal Rate);

public sealed record CurrencyRateInput(string? Currency, DateOnly? Date, [property: Range(typeof(decimal), "0", "1000000")] decimal? Rate);

public sealed record CurrencyRatesRequest(IReadOnlyList<CurrencyRateInput>? Rates);

/// <summary>
/// An amount converted to the base currency at the rate of the latest date on or before <see cref="Date"/>, rounded to the
/// base currency's minor units; <see cref="Converted"/> is null when no such rate exists.
/// </summary>
public sealed record ConversionDto(decimal Amount, string Currency, DateOnly Date, string BaseCurrency, decimal? Converted, decimal? Rate, DateOnly? RateDate);
