namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// The Chinese unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-letter alphabet
/// without I, O, S, V and Z; the last one is a check character over the first 17 (weights 3^i mod 31).
/// </summary>
public static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>True when the value is 18 characters of the alphabet and its check character is right.</summary>
    public static bool IsValid(string code) =>
        code.Length == 18 && code.All(c => Alphabet.Contains(c)) && CheckCharacter(code.AsSpan(0, 17)) == code[17];

    /// <summary>The check character of the first 17 characters (which must be of the alphabet).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        }

        var check = 31 - sum % 31;
        return Alphabet[check == 31 ? 0 : check];
    }
}
