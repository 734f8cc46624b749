using System.ComponentModel.DataAnnotations;

namespace Crm.Client;

/// <summary>
/// A customer due to buy again or at risk of churning: its last purchase day, the average of its last
/// <see cref="Intervals"/> (up to three) purchase intervals, and the days on which it becomes due and at risk.
/// <see cref="Status"/> is <c>repurchase-due</c> or <c>churn-risk</c>.
/// </summary>
public sealed record RepurchaseItemDto(Guid CustomerId, string? Name, string Status, DateOnly LastPurchase, int DaysSince, decimal AverageIntervalDays,
    int Intervals, DateOnly DueOn, DateOnly ChurnRiskOn);

/// <summary><c>GET /api/reps/{id}/repurchase</c>: the rep's customers due or at risk on <see cref="AsOf"/>, churn risks first.</summary>
public sealed record RepurchaseListDto(string RepId, DateOnly AsOf, IReadOnlyList<RepurchaseItemDto> Items);

/// <summary>
/// The company's RFM settings: <c>method</c> <c>quantiles</c> (the medians of the customers scored together) or
/// <c>thresholds</c> with <see cref="RecencyDays"/>, <see cref="Frequency"/> (purchase days) and <see cref="Monetary"/>
/// (net, in the base currency).
/// </summary>
public sealed record RfmSettingsRequest(
    [property: MaxLength(20)] string? Method,
    [property: Range(0, 36500)] int? RecencyDays = null,
    [property: Range(1, 1_000_000)] int? Frequency = null,
    [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Monetary = null);

public sealed record RfmSettingsDto(string Method, int? RecencyDays, int? Frequency, decimal? Monetary, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>The values that separated high from low for a report (the medians, or the company's thresholds).</summary>
public sealed record RfmThresholdsDto(string Method, decimal RecencyDays, decimal Frequency, decimal Monetary);

/// <summary>How many customers a segment has.</summary>
public sealed record RfmSegmentCountDto(string Segment, int Count);

/// <summary>One scored customer: days since its last purchase, purchase days, net money in the base currency, segment.</summary>
public sealed record RfmCustomerDto(Guid CustomerId, string? Name, string? OwnerId, DateOnly LastPurchase, int RecencyDays, int Frequency,
    decimal Monetary, string Segment);

/// <summary>
/// <c>GET /api/reports/rfm</c>: the customers (of the scope, that the caller sees) who have paid anything by
/// <see cref="AsOf"/>, scored and put in the eight segments; <see cref="Customers"/> is a page (of a segment when asked).
/// </summary>
public sealed record RfmReportDto(DateOnly AsOf, string? ScopeId, string BaseCurrency, RfmThresholdsDto Thresholds, int Total,
    IReadOnlyList<RfmSegmentCountDto> Segments, Page<RfmCustomerDto> Customers, IReadOnlyList<string> MissingRates);

/// <summary>How many customers went from one segment (<c>none</c>: no purchase yet) to another between two days.</summary>
public sealed record RfmMoveDto(string From, string To, int Count);

/// <summary><c>GET /api/reports/rfm/moves</c>: the segments on both days and the moves between them.</summary>
public sealed record RfmMovesDto(DateOnly From, DateOnly To, string? ScopeId, RfmThresholdsDto FromThresholds, RfmThresholdsDto ToThresholds,
    IReadOnlyList<RfmSegmentCountDto> SegmentsFrom, IReadOnlyList<RfmSegmentCountDto> SegmentsTo, IReadOnlyList<RfmMoveDto> Moves);

/// <summary>
/// How a rep's calibration factor was computed: over <see cref="ClosedDeals"/> closed deals, <see cref="Won"/> won
/// against <see cref="StatedPercentSum"/> stated (percent); <see cref="RawFactor"/> = won × 100 / stated sum;
/// <see cref="Factor"/> = (n × raw + k) / (n + k) with k = <see cref="PriorDeals"/>, so few deals keep it near 1.
/// </summary>
public sealed record CalibrationDto(int ClosedDeals, int Won, long StatedPercentSum, decimal? AverageStated, decimal? WinRate, decimal? RawFactor,
    int PriorDeals, decimal Factor, string Method);

/// <summary>One rep's open deals expected to close in the period: their total, Σ amount × probability (raw) and the corrected figure.</summary>
public sealed record RepForecastDto(string RepId, int OpenDeals, decimal Pipeline, decimal Raw, decimal Corrected, CalibrationDto Calibration);

/// <summary>
/// <c>GET /api/reports/forecast</c>: the open deals (of the customers the caller sees, in the scope) expected to close
/// in the period, weighted by their probability (raw) and corrected by each rep's calibration, in the base currency at
/// <see cref="AsOf"/>'s rates.
/// </summary>
public sealed record ForecastDto(string Period, DateOnly From, DateOnly To, string? ScopeId, DateOnly AsOf, string BaseCurrency, int OpenDeals,
    decimal Pipeline, decimal Raw, decimal Corrected, IReadOnlyList<RepForecastDto> Reps, IReadOnlyList<string> MissingRates);

/// <summary>A scope's result over one past period.</summary>
public sealed record PeriodValueDto(string Period, decimal Value);

/// <summary>A suggested target of one scope below: its last three periods and the value they suggest.</summary>
public sealed record TargetSuggestionDto(string Scope, string ScopeId, IReadOnlyList<PeriodValueDto> History, decimal Value);

/// <summary>
/// <c>GET /api/targets/suggestions</c>: for each scope right below (as a split would write them; a rep: itself), the
/// growth × the weighted average of its last three periods (weights 3, 2, 1, the latest first); the values can be sent
/// as the <c>manual</c> shares of a split of a target of <see cref="Total"/>.
/// </summary>
public sealed record TargetSuggestionsDto(string Scope, string? ScopeId, string Period, string Metric, decimal Growth, string Method, string? Currency,
    IReadOnlyList<TargetSuggestionDto> Suggestions, decimal Total, IReadOnlyList<string> MissingRates);
