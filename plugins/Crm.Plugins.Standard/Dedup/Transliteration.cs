using System.Text;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Cyrillic to Latin, and a spelling skeleton that folds the ways Russian names are written in Latin letters
/// (BGN, passport, ISO, English habits): Romashka, Tekhnostroy/Tehnostroi/Technostroy, Zarya/Zaria, Vektor/Vector,
/// Shchedrost/Schedrost all reduce to one form. Used only to compare a Cyrillic name with a Latin one.
/// </summary>
public static class Transliteration
{
    private static readonly string[] Cyrillic =
    [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh",
        "shch", "", "y", "", "e", "yu", "ya",
    ];

    public static bool HasCyrillic(string value) => value.AsSpan().IndexOfAnyInRange('А', 'я') >= 0 || value.AsSpan().IndexOfAny('ё', 'Ё') >= 0;

    public static bool IsCyrillic(char c) => c is >= 'а' and <= 'я' or >= 'А' and <= 'Я' or 'ё' or 'Ё';

    /// <summary>Lower-case Cyrillic letters to Latin (BGN-like); everything else is kept.</summary>
    public static string ToLatin(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var raw in value)
        {
            var c = char.ToLowerInvariant(raw);
            if (c is >= 'а' and <= 'я')
            {
                sb.Append(Cyrillic[c - 'а']);
            }
            else
            {
                sb.Append(c == 'ё' ? "e" : c.ToString());
            }
        }

        return sb.ToString();
    }

    /// <summary>The spelling skeleton of a Latin (or transliterated) name: see the class summary.</summary>
    public static string Skeleton(string latin)
    {
        var s = ToLatin(latin)
            .Replace("shch", "sh", StringComparison.Ordinal).Replace("sch", "sh", StringComparison.Ordinal)
            .Replace("kh", "h", StringComparison.Ordinal).Replace("ph", "f", StringComparison.Ordinal)
            .Replace("ck", "k", StringComparison.Ordinal).Replace("tz", "ts", StringComparison.Ordinal)
            .Replace("x", "ks", StringComparison.Ordinal).Replace('w', 'v').Replace('j', 'y').Replace('q', 'k');
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            // c is ts before e, i, y (Avtocentr = Avtotsentr), else k except in ch (Vector = Vektor); y is i (Zarya = Zaria).
            if (c == 'c' && i + 1 < s.Length && s[i + 1] is 'e' or 'i' or 'y')
            {
                sb.Append('t');
                c = 's';
            }
            else if (c == 'c' && (i + 1 >= s.Length || s[i + 1] != 'h'))
            {
                c = 'k';
            }
            else if (c == 'y')
            {
                c = 'i';
            }

            // Doubled letters are single (Kristall = Kristal, Stroyinvest = Stroiinvest).
            if (sb.Length == 0 || sb[^1] != c || !char.IsLetter(c))
            {
                sb.Append(c);
            }
        }

        // Ye is e (Yenisey = Енисей, Yekaterinburg = Ekaterinburg).
        return sb.ToString().Replace("ie", "e", StringComparison.Ordinal);
    }
}
