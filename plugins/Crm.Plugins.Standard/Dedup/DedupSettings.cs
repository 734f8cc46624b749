namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Settings of the standard dedup strategies. The plugin reads them from the server's environment
/// (<c>Crm__Dedup__DefaultRegion</c>, <c>Crm__Dedup__Regions</c>, <c>Crm__Dedup__NameThreshold</c>), the same keys as
/// <c>Crm:Dedup:*</c> in the server's configuration.
/// </summary>
public sealed record DedupSettings
{
    /// <summary>ISO 3166 region used for phone numbers written without a country code.</summary>
    public string DefaultRegion { get; init; } = "CN";

    /// <summary>
    /// The ISO 3166 regions the server's teams work in, in order (<c>Crm__Dedup__Regions=CN,RU</c>): a number without
    /// a country code that is no valid number of the default region is read in these, so the Russian
    /// 8 (912) 345-67-89 is +79123456789 on a CN server.
    /// </summary>
    public IReadOnlyList<string> Regions { get; init; } = ["CN", "RU"];

    /// <summary>Core-name similarity from which two Latin names of eight letters or more count as the same.</summary>
    public double NameThreshold { get; init; } = 0.85;

    public static DedupSettings FromEnvironment()
    {
        var settings = new DedupSettings();
        if (Environment.GetEnvironmentVariable("Crm__Dedup__DefaultRegion") is { Length: 2 } region)
        {
            settings = settings with { DefaultRegion = region.ToUpperInvariant() };
        }

        if (Environment.GetEnvironmentVariable("Crm__Dedup__Regions") is { } list)
        {
            var regions = list.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries)
                .Where(r => r.Length == 2).Select(r => r.ToUpperInvariant()).ToArray();
            if (regions.Length > 0)
            {
                settings = settings with { Regions = regions };
            }
        }

        if (double.TryParse(Environment.GetEnvironmentVariable("Crm__Dedup__NameThreshold"), System.Globalization.CultureInfo.InvariantCulture, out var threshold)
            && threshold is > 0.5 and <= 1)
        {
            settings = settings with { NameThreshold = threshold };
        }

        return settings;
    }
}
