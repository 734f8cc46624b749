using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Tasks;

/// <summary>Tasks' settings (section <c>Crm:Tasks</c>).</summary>
public sealed class TaskOptions
{
    public const string Section = "Crm:Tasks";

    /// <summary>How often each silo looks for items whose due or overdue alert has come (on the injected clock).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromSeconds(30);
}
