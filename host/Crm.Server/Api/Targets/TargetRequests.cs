using Crm.Client;
using Crm.Grains.Metrics;
using Crm.Grains.Money;
using Crm.Server.Api.Common;

namespace Crm.Server.Api.Targets;

/// <summary>The field checks of the target routes; each problem names its field.</summary>
internal static class TargetRequests
{
    public static Validation CheckScope(this Validation validation, string? scope, string? scopeId) => validation
        .Check(ReportScope.IsKind(scope), "scope", "'scope' must be company, orgUnit or rep.")
        .Check(scope != ReportScope.Company || scopeId is null, "scopeId", "The company scope takes no 'scopeId'.")
        .Check(!ReportScope.IsKind(scope) || scope is ReportScope.Company || !string.IsNullOrWhiteSpace(scopeId), "scopeId", "'scopeId' names the org unit or the rep.")
        .MaxLength(scopeId, "scopeId", 64);

    public static Validation CheckPeriod(this Validation validation, string? period, bool targetPeriod, out ReportPeriod parsed)
    {
        var ok = ReportPeriod.TryParse(period, out parsed);
        return validation.Check(ok && (!targetPeriod || parsed.Kind != PeriodKind.Day), "period",
            targetPeriod
                ? "'period' must be a month (2026-12), an ISO week (2026-W49), a quarter (2026-Q4) or a year (2026), years 2000 to 2100."
                : "'period' must be a day (2026-12-02), an ISO week (2026-W49), a month (2026-12), a quarter (2026-Q4) or a year (2026).");
    }

    public static Validation CheckMetric(this Validation validation, string? metric, bool required) => validation
        .Check((!required && metric is null) || MetricNames.IsKnown(metric), "metric", $"'metric' must be one of {string.Join(", ", MetricNames.All)}.");

    /// <summary>Counts are whole numbers; money has at most two decimals.</summary>
    public static Validation CheckValue(this Validation validation, decimal? value, string? metric, string field) => validation
        .Check(value is >= 0 and <= 1_000_000_000_000m, field, $"'{field}' must be between 0 and 1000000000000.")
        .Check(value is null || !MetricNames.IsKnown(metric) || Amounts.FitsMinorUnits(value.Value, DecimalsOf(metric!)), field,
            MetricNames.IsMoney(metric ?? "") ? $"'{field}' has at most two decimals." : $"'{field}' is a whole number for a count.");

    public static int DecimalsOf(string metric) => MetricNames.IsMoney(metric) ? 2 : 0;
}
