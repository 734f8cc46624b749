using System.Buffers;
using System.Globalization;
using System.Text;

namespace Crm.Grains.Common;

/// <summary>Small helpers for text that arrives in requests.</summary>
public static class TextInput
{
    /// <summary>The value trimmed, or null when it is null, empty or only white space: what an optional field stores.</summary>
    public static string? TrimOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The C0 controls but tab, line feed and carriage return.
    private static readonly SearchValues<char> InvisibleControls =
        SearchValues.Create([.. Enumerable.Range(0, 32).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r'))]);

    /// <summary>Whether the text holds a control character no text holds (see <see cref="WithoutInvisibleControls"/>).</summary>
    public static bool HasInvisibleControls(string? value) => value is not null && value.AsSpan().ContainsAny(InvisibleControls);

    /// <summary>The text without the C0 controls but tab, line feed and carriage return (NUL among them): what no text holds.</summary>
    public static string? WithoutInvisibleControls(string? value)
    {
        if (value is null || !HasInvisibleControls(value))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c >= '\u0020' || c is '\t' or '\n' or '\r')
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The text without control characters. A white-space one (line break, tab) is a space, or in a multi-line text
    /// kept as <c>\n</c> or <c>\t</c> (<c>\r\n</c> and <c>\r</c> as <c>\n</c>); the others are dropped.
    /// </summary>
    public static string? WithoutControls(string? value, bool multiLine)
    {
        if (value is null || !(value.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || value.AsSpan().ContainsAnyInRange('\u007F', '\u009F')))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsControl(c))
            {
                text.Append(c);
            }
            else if (multiLine && c is '\n' or '\t')
            {
                text.Append(c);
            }
            else if (multiLine && c == '\r')
            {
                if (i + 1 >= value.Length || value[i + 1] != '\n')
                {
                    text.Append('\n');
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The text without any format character (Unicode category Cf, inside or beyond the BMP): what a phone, an e-mail
    /// address or a tax id loses. They arrive pasted and unseen: the direction marks iPhone contacts put around a copied
    /// number (U+202A ... U+202C), a zero-width space, a byte-order mark, a soft hyphen. The same instance when it has none;
    /// an import normalises a million rows, so the text up to its first character from U+00AD (the first Cf) is skipped
    /// by a vectorised search (a whole ASCII phone or e-mail address), and nothing is allocated unless one is found.
    /// </summary>
    public static string? WithoutFormatCharacters(string? value)
    {
        if (value is null || IndexOfFormat(value) is var first && first < 0)
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

    /// <summary>
    /// The text without the invisible format characters that mean nothing in Chinese, Russian or English text (see
    /// <see cref="IsInvisibleMark"/>): what a name, a company, an address loses. The joiners stay. The same instance
    /// when it has none (found as by <see cref="WithoutFormatCharacters"/>).
    /// </summary>
    public static string? WithoutInvisibleMarks(string? value)
    {
        if (value is null || IndexOfInvisibleMark(value) is var first && first < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        text.Append(value.AsSpan(0, first));
        for (var i = first + 1; i < value.Length; i++)
        {
            if (!IsInvisibleMark(value[i]))
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The format characters that mean nothing in Chinese, Russian or English text: soft hyphen, Arabic letter mark,
    /// zero-width space, the direction marks, embeddings, overrides and isolates, the word joiner and the invisible
    /// operators, the deprecated format characters, and the byte-order mark (no longer a zero-width no-break space:
    /// U+2060 is). Not the joiners (ZWJ holds emoji sequences together, Persian-script names need ZWNJ), nor the Arabic
    /// number signs, the Mongolian vowel separator, the interlinear annotation marks or the tags of emoji flags: they
    /// carry meaning where they occur.
    /// </summary>
    public static bool IsInvisibleMark(char c) =>
        c is '\u00AD' or '\u061C' or '\u200B' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u2064')
            or (>= '\u2066' and <= '\u206F') or '\uFEFF';

    /// <summary>Where the first format character (Cf) of the text is, or -1.</summary>
    public static int IndexOfFormat(ReadOnlySpan<char> text)
    {
        // U+00AD, the soft hyphen, is the first Cf character: what is below it is skipped a vector at a time.
        var i = text.IndexOfAnyInRange('\u00AD', '\uFFFF');
        if (i < 0)
        {
            return -1;
        }

        for (; i < text.Length; i++)
        {
            if (FormatLength(text, i) > 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfInvisibleMark(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\u00AD', '\uFFFF');
        if (i < 0)
        {
            return -1;
        }

        for (; i < text.Length; i++)
        {
            if (IsInvisibleMark(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The length of the format character at <paramref name="i"/>: 1 in the BMP, 2 for a surrogate pair beyond it (a
    /// language tag U+E0001, the Kaithi number sign U+110BD...), 0 when it is none (a lone surrogate is none either).
    /// </summary>
    private static int FormatLength(ReadOnlySpan<char> text, int i)
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
}
