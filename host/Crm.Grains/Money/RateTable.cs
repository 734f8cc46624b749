namespace Crm.Grains.Money;

/// <summary>
/// Converts amounts to the company's base currency: the rate of the latest day on or before the day asked for, the
/// result rounded to the base currency's minor units (half away from zero). The base currency converts to itself at 1.
/// Plain and immutable: reports and lists build one from the rates they read.
/// </summary>
public sealed class RateTable
{
    /// <summary>The largest rate accepted (one unit worth a million of the base currency), and the decimals a rate keeps.</summary>
    public const decimal MaxRate = 1_000_000m;

    public const int RateDecimals = 10;

    private readonly Dictionary<string, List<CurrencyRate>> _byCurrency;

    public RateTable(string baseCurrency, int baseMinorUnits, IEnumerable<CurrencyRate> rates)
    {
        BaseCurrency = baseCurrency;
        BaseMinorUnits = baseMinorUnits;
        _byCurrency = rates.GroupBy(r => r.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Day).ToList(), StringComparer.Ordinal);
    }

    public string BaseCurrency { get; }

    public int BaseMinorUnits { get; }

    /// <summary>The rate in force on <paramref name="day"/>: the latest on or before it; null if the currency has none that early.</summary>
    public CurrencyRate? RateOn(string currency, DateOnly day)
    {
        if (currency == BaseCurrency)
        {
            return new CurrencyRate(currency, DateOnly.MinValue, 1m);
        }

        if (!_byCurrency.TryGetValue(currency, out var rates))
        {
            return null;
        }

        CurrencyRate? found = null;
        foreach (var rate in rates)
        {
            if (rate.Day > day)
            {
                break;
            }

            found = rate;
        }

        return found;
    }

    /// <summary>The amount in the base currency on a day, rounded to its minor units; null when no rate applies.</summary>
    public decimal? ToBase(decimal amount, string currency, DateOnly day) =>
        RateOn(currency, day) is { } rate ? Amounts.Round(amount * rate.Rate, BaseMinorUnits) : null;

    /// <summary>Rates are stored as integers of 10^-10.</summary>
    public static long ToE10(decimal rate) => (long)Math.Round(rate * 10_000_000_000m, 0, MidpointRounding.AwayFromZero);

    public static decimal FromE10(long e10) => e10 / 10_000_000_000m;
}
