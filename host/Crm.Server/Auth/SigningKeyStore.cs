using System.Security.Cryptography;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Auth;

/// <summary>Finds the token signing key: configured, or generated once and shared through the settings table.</summary>
public static class SigningKeyStore
{
    public static string Resolve(CrmDatabase database, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        // Insert-if-absent then read: two silos starting at once agree on whichever key landed first.
        connection.Execute("INSERT INTO settings (key, value) VALUES ('jwt-signing-key', @value) ON CONFLICT (key) DO NOTHING",
            new { value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) });
        return connection.ExecuteScalar<string>("SELECT value FROM settings WHERE key = 'jwt-signing-key'")!;
    }
}
