using System.Globalization;
using System.Text;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>Width, case and punctuation folding shared by the normalizers.</summary>
internal static class Text
{
    /// <summary>
    /// NFKC folds full-width Latin letters and digits (ＡＢＣ１２３) and the ideographic space to ASCII; then lower case.
    /// Chinese brackets and quotes are mapped to their ASCII forms so that later steps see one alphabet; traditional
    /// Chinese characters to simplified ones.
    /// </summary>
    public static string Fold(string value)
    {
        var folded = value.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        // Each character maps to one: the result is written in place of a copy, no builder.
        return string.Create(folded.Length, folded, static (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = source[i] switch
                {
                    '（' or '【' or '［' or '〔' or '《' or '「' or '『' => '(',
                    '）' or '】' or '］' or '〕' or '》' or '」' or '』' => ')',
                    '«' or '»' or '“' or '”' or '„' or '"' => ' ',
                    '‘' or '’' => '\'',
                    'ё' => 'е',
                    var c => TraditionalChinese.ToSimplified(c),
                };
            }
        });
    }

    /// <summary>Only letters and digits remain (any script); everything else becomes a separator.</summary>
    public static string LettersAndDigits(string value, char separator = ' ')
    {
        // Names are short: the characters kept go to a buffer on the stack, and one string is made of them.
        var buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var length = 0;
        var lastWasSeparator = true;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = c;
                lastWasSeparator = false;
            }
            else if (!lastWasSeparator && separator != '\0')
            {
                buffer[length++] = separator;
                lastWasSeparator = true;
            }
        }

        return new string(((ReadOnlySpan<char>)buffer[..length]).Trim(separator == '\0' ? ' ' : separator));
    }

    public static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    // Span searches, not LINQ over the string: a comparison asks this of both names several times.
    public static bool HasCjk(string value) =>
        value.AsSpan().IndexOfAnyInRange('\u4e00', '\u9fff') >= 0 || value.AsSpan().IndexOfAnyInRange('\u3400', '\u4dbf') >= 0;

    public static string Digits(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsDigit(c))
            {
                sb.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
        }

        return sb.ToString();
    }

    public static string WithoutSpaces(string value) => value.Replace(" ", "", StringComparison.Ordinal);

    public static bool IsLatinWord(string token)
    {
        foreach (var c in token)
        {
            if (c >= 0x250 && char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    public static string Invariant(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
