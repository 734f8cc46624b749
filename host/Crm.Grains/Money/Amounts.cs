namespace Crm.Grains.Money;

/// <summary>
/// Exact money arithmetic: amounts are <c>decimal</c>, rounded to their currency's minor units (half away from zero,
/// as invoices round), and stored as integers of 1/10 000 (<c>*_e4</c> columns) so that SQL sums stay exact.
/// </summary>
public static class Amounts
{
    /// <summary>The largest amount the server accepts (a trillion), far inside what the e4 columns hold.</summary>
    public const decimal Max = 1_000_000_000_000m;

    public static decimal Round(decimal amount, int minorUnits) => Math.Round(amount, minorUnits, MidpointRounding.AwayFromZero);

    /// <summary>Whether the amount has no more decimals than the currency allows.</summary>
    public static bool FitsMinorUnits(decimal amount, int minorUnits) => Round(amount, minorUnits) == amount;

    public static long ToE4(decimal amount) => (long)Math.Round(amount * 10_000m, 0, MidpointRounding.AwayFromZero);

    public static decimal FromE4(long e4) => e4 / 10_000m;
}
