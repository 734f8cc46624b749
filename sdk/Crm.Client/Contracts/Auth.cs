using System.ComponentModel.DataAnnotations;
namespace Crm.Client;

public sealed record TokenRequest([property: MaxLength(64)] string UserName, [property: MaxLength(128)] string Password);

/// <summary>
/// A sign-in's answer: a short-lived bearer token and a refresh token that gets the next pair once
/// (<c>POST /api/auth/refresh</c>); each refresh token can be used once.
/// </summary>
public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken = null, DateTimeOffset? RefreshExpiresAt = null);

public sealed record RefreshRequest([property: MaxLength(100)] string RefreshToken);

/// <summary>Ends the session (the refresh token's family); the current access token runs out by itself within minutes.</summary>
public sealed record LogoutRequest([property: MaxLength(100)] string RefreshToken);

/// <summary>Changes the user's own password, proven by the current one; answers a fresh token like a sign-in.</summary>
public sealed record ChangePasswordRequest([property: MaxLength(64)] string UserName, [property: MaxLength(128)] string CurrentPassword, [property: MaxLength(128)] string NewPassword);

/// <summary>An admin sets a user's password; the user must choose its own at its next sign-in.</summary>
public sealed record ResetPasswordRequest([property: MaxLength(128)] string NewPassword);
