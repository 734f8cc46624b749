using System.Globalization;
using System.Text;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>Width, case and punctuation folding shared by the normalizers.</summary>
internal static class Text
{
    /// <summary>
    /// Invisible format characters (Unicode Cf: zero-width space, soft hyphen, byte-order mark, the direction marks
    /// iPhone contacts put around a copied number, the joiners) are dropped: no key holds one, so a value pasted with
    /// them is the same key as typed without. NFKC folds full-width Latin letters and digits (ＡＢＣ１２３) and the
    /// ideographic space to ASCII; then lower case. Chinese brackets and quotes are mapped to their ASCII forms so that
    /// later steps see one alphabet; traditional Chinese characters to simplified ones.
    /// </summary>
    public static string Fold(string value)
    {
        var folded = WithoutFormatCharacters(value).Normalize(NormalizationForm.FormKC).ToLowerInvariant();
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

    /// <summary>
    /// The text without format characters (Unicode Cf, inside or beyond the BMP); the same instance when it has none. The
    /// server drops them from phones, e-mails and tax ids before it stores them (Crm.Grains.Common.TextInput, the same
    /// test); this plugin also sees customers stored before, and runs in other hosts.
    /// </summary>
    public static string WithoutFormatCharacters(string value)
    {
        // U+00AD, the soft hyphen, is the first Cf character: what is below it is skipped a vector at a time.
        var first = value.AsSpan().IndexOfAnyInRange('\u00AD', '\uFFFF');
        while (first >= 0 && first < value.Length && FormatLength(value, first) == 0)
        {
            first++;
        }

        if (first < 0 || first == value.Length)
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        text.Append(value.AsSpan(0, first));
        for (var i = first; i < value.Length; i++)
        {
            var length = FormatLength(value, i);
            if (length == 0)
            {
                text.Append(value[i]);
            }
            else
            {
                i += length - 1;
            }
        }

        return text.ToString();
    }

    /// <summary>The length of the format character at <paramref name="i"/>: 1 in the BMP, 2 for a surrogate pair, 0 when it is none.</summary>
    private static int FormatLength(string text, int i)
    {
        var c = text[i];
        if (c < '\u00AD')
        {
            return 0;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                && CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1])) == UnicodeCategory.Format ? 2 : 0;
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? 1 : 0;
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
