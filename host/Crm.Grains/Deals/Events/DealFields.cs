using System.Globalization;

namespace Crm.Grains.Deals.Events;

/// <summary>How deal events write amounts and dates into timeline data: invariant, so clients parse them the same everywhere.</summary>
internal static class DealFields
{
    public static string Amount(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
