using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Idempotency;

/// <summary><c>Crm:Idempotency</c>: how long answers to keyed commands are kept for retries (docs/reliability.md).</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Crm:Idempotency";

    /// <summary>The longest accepted key.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>How long a key and its answer are kept: a retry within this time gets the first answer.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a key stays held by a request that never finished (its server stopped mid-request): until then a
    /// retry answers 409 <c>idempotency-key-in-flight</c>, after it the retry runs the command.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often expired keys are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
