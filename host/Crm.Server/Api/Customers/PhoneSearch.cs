namespace Crm.Server.Api.Customers;

/// <summary>
/// A phone typed into a search the way another format stores it: <c>+7 912 345 67 89</c> finds <c>8 (912) 345-67-89</c>,
/// <c>008613912345678</c> finds <c>139 1234 5678</c>. Stored phones keep what was typed (their digits are searched as a
/// substring), so the query's national number, without the international prefix, country code or Russian trunk 8, is
/// searched too.
/// </summary>
public static class PhoneSearch
{
    /// <summary>The national digits of <paramref name="digits"/> when they carry a prefix to drop; null otherwise.</summary>
    public static string? National(string digits)
    {
        var number = digits.StartsWith("00", StringComparison.Ordinal) ? digits[2..] : digits;
        var national = number switch
        {
            // China: +86 and a mobile (11 digits from 1) or a landline (area code without its 0, 9 to 11 digits).
            ['8', '6', .. var rest] when rest.Length is >= 9 and <= 11 => rest,
            // Russia and Kazakhstan: +7 or the trunk 8, then 10 digits.
            ['7' or '8', .. var rest] when rest.Length == 10 => rest,
            _ => null,
        };
        return national is null || national == digits ? null : national;
    }
}
