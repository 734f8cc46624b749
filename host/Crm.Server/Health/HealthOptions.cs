using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Health;

/// <summary><c>Crm:Health</c>: how often the database is probed, and what a 503 tells clients to wait.</summary>
public sealed class HealthOptions
{
    public const string Section = "Crm:Health";

    /// <summary>How often the background probe checks the database; <c>/health/ready</c> answers from its last result.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> seconds of a 503 answered while the database is unavailable.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;
}
