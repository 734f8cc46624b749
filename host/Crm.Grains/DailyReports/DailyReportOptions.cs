using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.DailyReports;

/// <summary>Daily reports' settings (section <c>Crm:DailyReports</c>; docs/daily-reports.md).</summary>
public sealed class DailyReportOptions
{
    public const string Section = "Crm:DailyReports";

    public bool Enabled { get; set; } = true;

    /// <summary>How often each silo looks for units whose report time has come (on the injected clock).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The local time reports are made at in units with no setting of their own (or above them).</summary>
    public TimeOnly DefaultLocalTime { get; set; } = new(18, 0);

    /// <summary>Follow-up limit of the traffic light in a pool that recycles on no follow-up at all.</summary>
    [Range(1, 3650)]
    public int FollowUpDays { get; set; } = 14;

    /// <summary>"Stage unchanged" limit of the traffic light in a pool that recycles on no deal at all.</summary>
    [Range(1, 3650)]
    public int StageDays { get; set; } = 30;

    /// <summary>A customer this many days (or fewer) from its follow-up limit is red: it is about to return to the pool.</summary>
    [Range(0, 30)]
    public int RedWithinDays { get; set; } = 2;

    /// <summary>At most this many customers get a light in one report (red first); the rest are counted.</summary>
    [Range(1, 100_000)]
    public int MaxCustomers { get; set; } = 2000;

    /// <summary>Days before the rep's local today a report may be asked for: asking for a past day generates and stores it, so the days are bounded.</summary>
    [Range(1, 36_600)]
    public int MaxDaysBack { get; set; } = 366;
}
