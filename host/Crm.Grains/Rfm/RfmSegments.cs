namespace Crm.Grains.Rfm;

/// <summary>The three figures of a customer on a day: days since its last purchase, purchase days, net money in the base currency.</summary>
public sealed record RfmFigures(Guid CustomerId, int RecencyDays, int Frequency, decimal Monetary);

/// <summary>
/// What separates high from low on each figure. <c>thresholds</c>: the company's values, high when at least as good
/// (recency ≤ days, frequency ≥ count, monetary ≥ amount). <c>quantiles</c>: the medians of the customers scored
/// together, high when strictly better than the median (so a population of one-time buyers is not all "frequent").
/// </summary>
public sealed record RfmThresholds(string Method, decimal RecencyDays, decimal Frequency, decimal Monetary)
{
    public const string Fixed = "thresholds";
    public const string Quantiles = "quantiles";

    public bool HighRecency(RfmFigures f) => Method == Fixed ? f.RecencyDays <= RecencyDays : f.RecencyDays < RecencyDays;

    public bool HighFrequency(RfmFigures f) => Method == Fixed ? f.Frequency >= Frequency : f.Frequency > Frequency;

    public bool HighMonetary(RfmFigures f) => Method == Fixed ? f.Monetary >= Monetary : f.Monetary > Monetary;

    /// <summary>The medians of the customers' figures (0 when there are none).</summary>
    public static RfmThresholds MediansOf(IReadOnlyList<RfmFigures> customers) => new(Quantiles,
        Median(customers.Select(c => (decimal)c.RecencyDays)), Median(customers.Select(c => (decimal)c.Frequency)), Median(customers.Select(c => c.Monetary)));

    private static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>The eight usual RFM segments, from high or low recency, frequency and monetary value.</summary>
public static class RfmSegments
{
    public const string ImportantValue = "important-value";             // R F M all high
    public const string ImportantDevelopment = "important-development"; // recent, big, not frequent: grow the frequency
    public const string ImportantRetention = "important-retention";     // frequent and big, not recent: keep them
    public const string ImportantRecall = "important-recall";           // big only: win them back
    public const string GeneralValue = "general-value";
    public const string GeneralDevelopment = "general-development";
    public const string GeneralRetention = "general-retention";
    public const string GeneralRecall = "general-recall";

    /// <summary>In the order reports list them.</summary>
    public static readonly IReadOnlyList<string> All =
        [ImportantValue, ImportantDevelopment, ImportantRetention, ImportantRecall, GeneralValue, GeneralDevelopment, GeneralRetention, GeneralRecall];

    public static string Of(bool recent, bool frequent, bool big) => (recent, frequent, big) switch
    {
        (true, true, true) => ImportantValue,
        (true, false, true) => ImportantDevelopment,
        (false, true, true) => ImportantRetention,
        (false, false, true) => ImportantRecall,
        (true, true, false) => GeneralValue,
        (true, false, false) => GeneralDevelopment,
        (false, true, false) => GeneralRetention,
        _ => GeneralRecall,
    };

    public static string Of(RfmFigures figures, RfmThresholds thresholds) =>
        Of(thresholds.HighRecency(figures), thresholds.HighFrequency(figures), thresholds.HighMonetary(figures));
}
