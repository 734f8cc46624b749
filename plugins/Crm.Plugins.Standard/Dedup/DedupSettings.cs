namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Settings of the standard dedup strategies. The plugin reads them from the server's environment
/// (<c>Crm__Dedup__DefaultRegion</c>, <c>Crm__Dedup__NameThreshold</c>), the same keys as <c>Crm:Dedup:*</c> in the
/// server's configuration.
/// </summary>
public sealed record DedupSettings
{
    /// <summary>ISO 3166 region used for phone numbers written without a country code.</summary>
    public string DefaultRegion { get; init; } = "CN";

    /// <summary>Core-name similarity from which two Latin names of eight letters or more count as the same.</summary>
    public double NameThreshold { get; init; } = 0.85;

    public static DedupSettings FromEnvironment()
    {
        var settings = new DedupSettings();
        if (Environment.GetEnvironmentVariable("Crm__Dedup__DefaultRegion") is { Length: 2 } region)
        {
            settings = settings with { DefaultRegion = region.ToUpperInvariant() };
        }

        if (double.TryParse(Environment.GetEnvironmentVariable("Crm__Dedup__NameThreshold"), System.Globalization.CultureInfo.InvariantCulture, out var threshold)
            && threshold is > 0.5 and <= 1)
        {
            settings = settings with { NameThreshold = threshold };
        }

        return settings;
    }
}
