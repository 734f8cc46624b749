using System.Security.Cryptography;
using Crm.Client;
using Crm.Server.Org;

namespace Crm.Server.Auth;

/// <summary>
/// On first start with an empty database, creates user <c>admin</c> with the configured password, or a
/// generated one that is printed once and written to <c>{data dir}/admin-password.txt</c>.
/// </summary>
public static class AdminBootstrap
{
    public static async Task EnsureAdminAsync(UserDirectory users, string? configuredPassword, string dataDirectory, ILogger logger)
    {
        if (await users.AnyAsync())
        {
            return;
        }

        var password = string.IsNullOrWhiteSpace(configuredPassword)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-')
            : configuredPassword;
        var created = await users.CreateAsync("admin", password, "Administrator", Role.Admin, null);
        if (!created.Ok)
        {
            return; // another silo created it first
        }

        if (string.IsNullOrWhiteSpace(configuredPassword))
        {
            Directory.CreateDirectory(dataDirectory);
            var file = Path.Combine(dataDirectory, "admin-password.txt");
            await File.WriteAllTextAsync(file, password + Environment.NewLine);
            Console.WriteLine($"Created user 'admin' with password: {password}  (also written to {Path.GetFullPath(file)})");
            logger.LogWarning("Created user 'admin' with a generated password, written to {File}", Path.GetFullPath(file));
        }
        else
        {
            logger.LogInformation("Created user 'admin' with the configured password");
        }
    }
}
