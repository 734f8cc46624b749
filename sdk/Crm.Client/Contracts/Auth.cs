namespace Crm.Client;

public sealed record TokenRequest(string UserName, string Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>Changes the user's own password, proven by the current one; answers a fresh token like a sign-in.</summary>
public sealed record ChangePasswordRequest(string UserName, string CurrentPassword, string NewPassword);

/// <summary>An admin sets a user's password; the user must choose its own at its next sign-in.</summary>
public sealed record ResetPasswordRequest(string NewPassword);
