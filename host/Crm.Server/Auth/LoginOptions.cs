using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Auth;

/// <summary><c>Crm:Auth:Login</c>: how sign-in attempts are throttled and when a user name is locked out.</summary>
public sealed class LoginOptions
{
    public const string Section = "Crm:Auth:Login";

    /// <summary>Attempts per minute from one client address on the sign-in routes (token, refresh, password).</summary>
    [Range(1, 1_000_000)]
    public int PerAddressPerMinute { get; set; } = 60;

    /// <summary>Attempts per minute for one user name, whatever the address.</summary>
    [Range(1, 1_000_000)]
    public int PerUserNamePerMinute { get; set; } = 10;

    /// <summary>Consecutive failures after which a user name is locked out.</summary>
    [Range(1, 100)]
    public int LockoutAfterFailures { get; set; } = 5;

    /// <summary>The first lockout; each further failure doubles it, up to <see cref="LockoutMaxSeconds"/>.</summary>
    [Range(1, 3600)]
    public int LockoutBaseSeconds { get; set; } = 30;

    [Range(1, 86_400)]
    public int LockoutMaxSeconds { get; set; } = 900;

    /// <summary>Proxies whose X-Forwarded-For names the client address (empty: the socket's address is the client's).</summary>
    [MaxLength(32)]
    public string[] TrustedProxies { get; set; } = [];
}
