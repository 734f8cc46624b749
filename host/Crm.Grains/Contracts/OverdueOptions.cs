using System.ComponentModel.DataAnnotations;

namespace Crm.Grains.Contracts;

/// <summary>How the per-silo overdue sweep runs (section <c>Crm:Contracts</c>).</summary>
public sealed class OverdueOptions
{
    public const string Section = "Crm:Contracts";

    /// <summary>How often each silo looks for instalments that fell overdue.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OverdueSweepEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many customers one sweep visits at most; the rest wait for the next sweep.</summary>
    [Range(1, 100_000)]
    public int OverdueSweepBatch { get; set; } = 500;
}
