using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Health;

/// <summary><c>Crm:Health</c>: how often the database is probed, what a 503 tells clients to wait, how long a stop drains.</summary>
public sealed class HealthOptions
{
    public const string Section = "Crm:Health";

    /// <summary>How often the background probe checks the database; <c>/health/ready</c> answers from its last result.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> seconds of a 503 answered while the database is unavailable.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// How long a graceful stop keeps taking requests after readiness turns 503, so a load balancer that polls
    /// <c>/health/ready</c> sends new requests elsewhere before the port closes (ShutdownDrain).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);
}
