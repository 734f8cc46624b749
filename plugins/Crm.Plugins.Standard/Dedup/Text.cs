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
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            sb.Append(c switch
            {
                '（' or '【' or '［' or '〔' or '《' or '「' or '『' => '(',
                '）' or '】' or '］' or '〕' or '》' or '」' or '』' => ')',
                '«' or '»' or '“' or '”' or '„' or '"' => ' ',
                '‘' or '’' => '\'',
                'ё' => 'е',
                _ => TraditionalChinese.ToSimplified(c),
            });
        }

        return sb.ToString();
    }

    /// <summary>Only letters and digits remain (any script); everything else becomes a separator.</summary>
    public static string LettersAndDigits(string value, char separator = ' ')
    {
        var sb = new StringBuilder(value.Length);
        var lastWasSeparator = true;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(c);
                lastWasSeparator = false;
            }
            else if (!lastWasSeparator && separator != '\0')
            {
                sb.Append(separator);
                lastWasSeparator = true;
            }
        }

        return sb.ToString().Trim(separator == '\0' ? ' ' : separator);
    }

    public static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    public static bool HasCjk(string value) => value.Any(IsCjk);

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

    public static bool IsLatinWord(string token) => token.All(c => c < 0x250 || !char.IsLetter(c));

    public static string Invariant(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
