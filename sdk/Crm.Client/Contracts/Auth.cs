namespace Crm.Client;

public sealed record TokenRequest(string UserName, string Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);
