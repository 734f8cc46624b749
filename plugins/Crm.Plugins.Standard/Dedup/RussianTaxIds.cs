namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Russian company identifiers and their check digits: INN (ИНН) of an organisation (10 digits) or a person or sole
/// trader (12), OGRN (ОГРН, 13) and OGRNIP (ОГРНИП, 15). KPP (КПП, 9 digits) names a tax-office registration that
/// branches share; it identifies no one and is never a key.
/// </summary>
public static class RussianTaxIds
{
    private static readonly int[] Inn10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    /// <summary>What a string of digits is, when its length and check digits say so: inn, ogrn, ogrnip; else null.</summary>
    public static string? KindOf(string digits)
    {
        if (digits.Length is not (10 or 12 or 13 or 15) || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        return digits.Length switch
        {
            10 => Check(digits, Inn10) == digits[9] - '0' ? "inn" : null,
            12 => Check(digits, Inn11) == digits[10] - '0' && Check(digits, Inn12) == digits[11] - '0' ? "inn" : null,
            13 => ulong.Parse(digits[..12]) % 11 % 10 == (ulong)(digits[12] - '0') ? "ogrn" : null,
            _ => ulong.Parse(digits[..14]) % 13 % 10 == (ulong)(digits[14] - '0') ? "ogrnip" : null,
        };
    }

    private static int Check(string digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return sum % 11 % 10;
    }
}
