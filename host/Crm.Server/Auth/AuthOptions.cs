using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Auth;

/// <summary><c>Crm:Auth</c>: how tokens are signed and how long they live (docs/security.md).</summary>
public sealed class AuthOptions
{
    public const string Section = "Crm:Auth";
    public const string Issuer = "crm-server";

    /// <summary>
    /// The HMAC key that signs new tokens (at least 32 characters). Left empty, the key ring of <see cref="KeyFile"/>
    /// is used (created on first start). A cluster's silos must share one or the other.
    /// </summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>The key id written into tokens signed with <see cref="SigningKey"/>.</summary>
    [MaxLength(64)]
    public string SigningKeyId { get; set; } = "configured";

    /// <summary>Keys that no longer sign but still validate, as <c>id:key</c>: keep a rotated-out key until its tokens expired.</summary>
    [MaxLength(16)]
    public string[] PreviousSigningKeys { get; set; } = [];

    /// <summary>The key ring file used when no key is configured; default <c>{DataDirectory}/signing-keys.json</c> (mode 0600).</summary>
    public string? KeyFile { get; set; }

    /// <summary>How long an access token lives; a refresh token gets the next one.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token lives unused; each refresh issues a new one.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long after a refresh token was used it may be presented again as a retry (its answer lost on a weak network):
    /// while no later token of its session was used, the retry gets a new pair and the pair the lost answer carried is
    /// revoked. Past it, or once the session went on, a second use is a stolen copy and ends the session. Zero turns
    /// retries off (every second use ends the session).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RefreshRetryWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tolerated clock difference between silos when checking a token's expiry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Live-event connections one user may hold on one silo; a further one is closed at once.</summary>
    [Range(1, 1000)]
    public int MaxHubConnectionsPerUser { get; set; } = 5;
}
