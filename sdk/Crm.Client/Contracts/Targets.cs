using System.ComponentModel.DataAnnotations;

namespace Crm.Client;

/// <summary>
/// <c>PUT /api/targets</c>: the target of a metric for a scope over a period. <c>scope</c> is <c>company</c> (no
/// scopeId), <c>orgUnit</c> or <c>rep</c>; <c>period</c> is <c>2026-12</c>, <c>2026-W49</c>, <c>2026-Q4</c> or <c>2026</c>;
/// <c>metric</c> is one of wonAmount, paymentsReceived, newCustomers, followUps, visits, dealsWon. Money targets are in
/// the base currency (at most two decimals); counts are whole numbers.
/// </summary>
public sealed record TargetRequest(
    [property: MaxLength(20)] string? Scope,
    [property: MaxLength(64)] string? ScopeId,
    [property: MaxLength(10)] string? Period,
    [property: MaxLength(40)] string? Metric,
    [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Value);

/// <summary>A target; <see cref="ParentId"/> is the target it was split from.</summary>
public sealed record TargetDto(string Id, string Scope, string? ScopeId, string Period, string Metric, decimal Value, string? ParentId,
    DateTimeOffset UpdatedAt);

/// <summary>
/// <c>POST /api/targets/{id}/split</c>: divide a target among the scopes right below it (the company's top units; a
/// unit's child units and its own reps) — <c>even</c>, by each one's result over the previous period (<c>history</c>),
/// or <c>manual</c> with <see cref="Shares"/> that name every scope below and add up to the target.
/// </summary>
public sealed record TargetSplitRequest(
    [property: MaxLength(10)] string? By,
    [property: MaxLength(500)] IReadOnlyList<TargetShare>? Shares = null);

/// <summary>One scope's part of a manual split: an org unit's or a rep's id.</summary>
public sealed record TargetShare(
    [property: MaxLength(64)] string? ScopeId,
    [property: Range(typeof(decimal), "0", "1000000000000")] decimal? Value);

/// <summary>The targets a split wrote, one per scope below (scope orgUnit or rep).</summary>
public sealed record TargetSplitDto(string ParentId, string By, IReadOnlyList<TargetDto> Targets);

/// <summary>
/// Achievement of one metric over a period (<c>GET /api/targets/progress</c>): <see cref="Value"/> so far, the
/// <see cref="Target"/> (null when none is set), <see cref="Rate"/> = value / target, and <see cref="ExpectedByToday"/>
/// = target × working days elapsed (today included) / working days of the period, in the scope's unit calendar.
/// Money is in <see cref="Currency"/>, the base currency; <see cref="MissingRates"/> lists currencies left out for want of a rate.
/// </summary>
public sealed record TargetProgressDto(string Metric, decimal Value, decimal? Target, decimal? Rate, decimal? ExpectedByToday,
    int WorkingDays, int WorkingDaysElapsed, string? TargetId, string? Currency, IReadOnlyList<string> MissingRates);

/// <summary>The progress of a scope over a period, as of <see cref="AsOf"/> (a local date of the scope's calendar).</summary>
public sealed record TargetProgressReport(string Scope, string? ScopeId, string Period, DateOnly From, DateOnly To, DateOnly AsOf,
    string TimeZone, IReadOnlyList<TargetProgressDto> Metrics);
