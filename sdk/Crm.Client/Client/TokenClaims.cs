using System.Security.Claims;
using System.Text;
using System.Text.Json;

namespace Crm.Client;

/// <summary>Reads the user id out of the server's access token (a JWT) without validating it: the server does that.</summary>
internal static class TokenClaims
{
    public static string? UserId(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        foreach (var name in new[] { ClaimTypes.NameIdentifier, "nameid", "sub" })
        {
            if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }
}
