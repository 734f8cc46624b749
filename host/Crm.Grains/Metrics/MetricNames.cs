namespace Crm.Grains.Metrics;

/// <summary>The metrics kept per rep and local day (<c>rep_day_metrics.metric</c>), as the API names them.</summary>
public static class MetricNames
{
    public const string WonAmount = "wonAmount";
    public const string PaymentsReceived = "paymentsReceived";
    public const string NewCustomers = "newCustomers";
    public const string FollowUps = "followUps";
    public const string Visits = "visits";
    public const string DealsWon = "dealsWon";

    public static IReadOnlyList<string> All { get; } = [WonAmount, PaymentsReceived, NewCustomers, FollowUps, Visits, DealsWon];

    /// <summary>Money metrics are kept per currency and answered in the base currency; the others are counts.</summary>
    public static bool IsMoney(string metric) => metric is WonAmount or PaymentsReceived;

    public static bool IsKnown(string? metric) => metric is not null && All.Contains(metric, StringComparer.Ordinal);
}
