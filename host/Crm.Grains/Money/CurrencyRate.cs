namespace Crm.Grains.Money;

/// <summary>From <see cref="Day"/> on (until the currency's next rate), one unit of <see cref="Currency"/> is worth <see cref="Rate"/> of the base currency.</summary>
public sealed record CurrencyRate(string Currency, DateOnly Day, decimal Rate);
