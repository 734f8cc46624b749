using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Auth;

/// <summary><c>Crm:Auth</c>: how tokens are signed and how long they live.</summary>
public sealed class AuthOptions
{
    public const string Section = "Crm:Auth";
    public const string Issuer = "crm-server";

    /// <summary>
    /// The HMAC key (at least 32 characters). Left empty, the server generates one and keeps it in the
    /// database's settings table, so every silo of a cluster signs and checks tokens with the same key.
    /// </summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    [Range(1, 24 * 30)]
    public int TokenLifetimeHours { get; set; } = 12;
}
