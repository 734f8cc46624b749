using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Morning;

/// <summary>Morning tasks' settings (section <c>Crm:MorningTasks</c>; docs/tasks-and-notifications.md).</summary>
public sealed class MorningOptions
{
    public const string Section = "Crm:MorningTasks";

    public bool Enabled { get; set; } = true;

    /// <summary>How often each silo looks for units whose working morning has come (on the injected clock).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A customer that drops back to the pool before the working morning this many working days ahead gets a task.</summary>
    [Range(1, 30)]
    public int DropWithinWorkingDays { get; set; } = 2;

    /// <summary>Date custom fields of the customer card that recur every year (birthdays, anniversaries).</summary>
    [MaxLength(20)]
    public List<string> OccasionFields { get; set; } = ["birthday", "anniversary"];
}
