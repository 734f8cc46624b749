namespace Crm.Grains.Forecast;

/// <summary>
/// How optimistic a rep's stated probabilities have been: over its closed deals, what was won against what was stated.
/// <see cref="RawFactor"/> = won / Σ stated probabilities (0.5: it wins half of what it says); with few deals that says
/// little, so <see cref="Factor"/> shrinks it toward 1 as if <see cref="PriorDeals"/> more deals had come out exactly as
/// stated: (n × raw + k) / (n + k). No closed deals, or all stated at 0 %: 1.
/// </summary>
public sealed record Calibration(int ClosedDeals, int Won, long StatedPercentSum)
{
    /// <summary>k: the weight of "as stated" (1) in closed deals.</summary>
    public const int PriorDeals = 10;

    public static readonly Calibration None = new(0, 0, 0);

    public decimal? RawFactor => StatedPercentSum == 0 ? null : Math.Round(Won * 100m / StatedPercentSum, 4, MidpointRounding.AwayFromZero);

    /// <summary>The factor as shown (4 places).</summary>
    public decimal Factor => Math.Round(ExactFactor, 4, MidpointRounding.AwayFromZero);

    /// <summary>The factor unrounded: what the corrected forecast multiplies by (rounding it first moved a 10M pipeline by ~500).</summary>
    public decimal ExactFactor => StatedPercentSum == 0
        ? 1m
        : (ClosedDeals * (Won * 100m / StatedPercentSum) + PriorDeals) / (ClosedDeals + PriorDeals);

    /// <summary>The average stated probability of the closed deals (percent), and the share actually won.</summary>
    public decimal? AverageStated => ClosedDeals == 0 ? null : Math.Round((decimal)StatedPercentSum / ClosedDeals, 2, MidpointRounding.AwayFromZero);

    public decimal? WinRate => ClosedDeals == 0 ? null : Math.Round(Won * 100m / ClosedDeals, 2, MidpointRounding.AwayFromZero);
}
