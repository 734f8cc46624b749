using Crm.Grains.Common;
using System.Security.Cryptography;
using Crm.Client;
using Crm.Server.Org;

namespace Crm.Server.Auth;

/// <summary>
/// On first start with an empty database, creates user <c>admin</c> with the configured password (which must meet
/// <see cref="PasswordPolicy"/>: otherwise the start stops, naming the setting and the rule), or a generated
/// one that is printed once and written to <see cref="AdminPasswordFile"/> (0600). A generated password must be
/// changed before admin gets a token; the change deletes the file.
/// </summary>
public static class AdminBootstrap
{
    public static async Task EnsureAdminAsync(UserDirectory users, PasswordStore passwords, AdminPasswordFile file, string? configuredPassword, ILogger logger)
    {
        file.Protect();
        if (await users.AnyAsync())
        {
            return;
        }

        var generated = string.IsNullOrWhiteSpace(configuredPassword);
        if (!generated && PasswordPolicy.Check(configuredPassword, AdminPasswordFile.AdminUserName) is { } refusal)
        {
            // The operator's choice meets the rule every other password meets (docs/security.md); it is only read now.
            throw new InvalidOperationException($"{AdminOptions.Section}:Password breaks the password policy: {refusal} " +
                "Choose another, or leave it unset for a generated one that admin changes at its first sign-in.");
        }

        var password = generated
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-')
            : configuredPassword!;
        var created = await users.CreateAsync(AdminPasswordFile.AdminUserName, password, "Administrator", UserRole.Admin, null);
        if (!created.Ok)
        {
            return; // another silo created it first
        }

        if (generated)
        {
            await passwords.RequireChangeAsync(created.Value!.Id);
            await file.WriteAsync(password);
            Console.WriteLine($"Created user 'admin' with password: {password}  (also in {file.Path}, mode 0600, until admin " +
                "chooses its own with POST /api/auth/password)");
            logger.LogWarning("Created user 'admin' with a generated password, written to {File}; it must be changed at first sign-in", file.Path);
        }
        else
        {
            logger.LogInformation("Created user 'admin' with the configured password");
        }
    }
}
