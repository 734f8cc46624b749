namespace Crm.Server.Auth;

/// <summary>
/// What a new password must be (ASVS V2.1): 12 to 128 characters, any characters (no composition rules), not
/// containing the user name, and not one of the passwords most often found in breaches.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    // The most common breached passwords of 12+ characters (shorter ones fail the length rule anyway).
    private static readonly HashSet<string> Breached = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789123", "111111111111", "000000000000",
        "123123123123", "qwertyuiopas", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc",
        "passwordpassword", "password1234", "password12345", "password123456", "password123!", "Password123!",
        "Passw0rd1234", "iloveyou1234", "abc123456789", "abcdefghijkl", "administrator", "administrator1",
        "welcome12345", "welcome123456", "letmein12345", "changeme1234", "changeme123!", "sunshine1234",
        "football1234", "baseball1234", "princess1234", "trustno1trustno1", "zaq12wsxcde3", "asdfghjkl123",
        "qazwsxedcrfv", "monkey123456", "dragon123456", "master123456", "superman1234", "michael12345",
        "1234qwerasdf", "q1w2e3r4t5y6", "987654321098", "aaaaaaaaaaaa", "abcd12345678", "admin1234567",
        "adminadmin12", "secret123456", "crm-password", "crmpassword1",
    };

    /// <summary>The reason a password is refused, or null when it is acceptable.</summary>
    public static string? Check(string? password, string userName)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "A password is required.";
        }

        if (password.Length < MinLength)
        {
            return $"Use at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"Use at most {MaxLength} characters.";
        }

        var name = userName.Trim();
        if (name.Length >= 3 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            return "The password may not contain the user name.";
        }

        return Breached.Contains(password) ? "This password is known from breaches; choose another." : null;
    }
}
