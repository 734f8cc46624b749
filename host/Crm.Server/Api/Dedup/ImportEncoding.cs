using System.Text;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// The text of a CSV file. An explicit <c>charset</c> (Content-Type) wins; without one: UTF-8 (with or without BOM),
/// UTF-16 with a BOM (Excel's "Unicode Text"), else GB18030 (Excel on Chinese Windows) or Windows-1251 (Excel on
/// Russian Windows), whichever the bytes look like. A file that cannot be told is refused with the line of its
/// first byte that is not UTF-8: garbled text stored as customers is worse than a clear refusal. Byte-order marks are
/// dropped, also inside the text (two files appended).
/// </summary>
public static class ImportEncoding
{
    static ImportEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string Fix = "Save the file as \"CSV UTF-8\", or send its encoding as the charset of the Content-Type (e.g. text/csv; charset=gb18030).";

    /// <summary>The encoding a charset names, or null when it is not one an import accepts.</summary>
    public static Encoding? OfCharset(string charset) => charset.Trim().Trim('"').ToLowerInvariant() switch
    {
        "utf-8" or "utf8" or "us-ascii" or "ascii" => new UTF8Encoding(false, throwOnInvalidBytes: true),
        "gb18030" or "gbk" or "gb2312" or "cp936" => Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        "windows-1251" or "cp1251" => Encoding.GetEncoding(1251, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        "utf-16" or "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
        "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
        _ => null,
    };

    /// <summary>The file's text, or why it cannot be told.</summary>
    public static (string? Text, string? Error) Decode(byte[] content, string? charset)
    {
        if (!string.IsNullOrWhiteSpace(charset))
        {
            if (OfCharset(charset) is not { } declared)
            {
                return (null, $"Unknown charset '{charset}'; send utf-8, gb18030, windows-1251 or utf-16.");
            }

            // A UTF-16 file's BOM tells its byte order whatever the charset says.
            if (declared is UnicodeEncoding && Utf16Bom(content) is { } bom)
            {
                declared = bom;
            }

            try
            {
                return (WithoutByteOrderMarks(declared.GetString(content)), null);
            }
            catch (DecoderFallbackException) when (declared is UTF8Encoding)
            {
                // Many clients label every upload utf-8 (a GB18030 export included): told from its bytes, as without a charset.
            }
            catch (DecoderFallbackException)
            {
                return (null, $"The file is not valid {charset} text. {Fix}");
            }
        }

        if (Utf16Bom(content) is { } utf16)
        {
            return (WithoutByteOrderMarks(utf16.GetString(content)), null);
        }

        if (System.Text.Unicode.Utf8.IsValid(content))
        {
            return (WithoutByteOrderMarks(Encoding.UTF8.GetString(content)), null);
        }

        var (valid, invalid, firstBad) = Utf8Sequences(content);
        var line = 1 + content.AsSpan(0, firstBad).Count((byte)'\n');
        // Mostly well-formed UTF-8 (a GB18030 or Windows-1251 file forms a valid sequence only now and then): a file
        // edited with two encodings, whose every other cell is right; decoding it whole otherwise garbles all of them.
        if (valid >= 3 * invalid)
        {
            return (null, $"The file is UTF-8 but for some bytes that are not (the first on line {line}). {Fix}");
        }

        var chinese = LooksLikeGb18030(content);
        var russian = LooksLikeWindows1251(content);
        if (chinese != russian)
        {
            return (WithoutByteOrderMarks(Encoding.GetEncoding(chinese ? "GB18030" : "windows-1251").GetString(content)), null);
        }

        return (null, $"The file's encoding could not be told: it is not UTF-8 (line {line} has the first byte that is not). {Fix}");
    }

    /// <summary>
    /// The text without its byte-order marks: the file's own, and those inside it, where a second file appended to the
    /// first (<c>cat a.csv b.csv</c>, <c>copy a.csv+b.csv</c>) brings its own to the start of a line. U+FEFF is no longer
    /// a zero-width no-break space anywhere (U+2060 is): inside a cell it is only ever such a mark. One vectorised search
    /// when there is none.
    /// </summary>
    internal static string WithoutByteOrderMarks(string text) => text.Contains('\uFEFF') ? text.Replace("\uFEFF", "", StringComparison.Ordinal) : text;

    private static Encoding? Utf16Bom(byte[] content) => content switch
    {
        [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
        [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
        _ => null,
    };

    /// <summary>Well-formed multi-byte UTF-8 sequences, bytes that are not part of one, and where the first of those is.</summary>
    private static (int Valid, int Invalid, int FirstBad) Utf8Sequences(byte[] content)
    {
        var (valid, invalid, firstBad) = (0, 0, -1);
        for (var i = 0; i < content.Length;)
        {
            if (content[i] < 0x80)
            {
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(content.AsSpan(i), out _, out var length) == System.Buffers.OperationStatus.Done)
            {
                valid++;
                i += length;
                continue;
            }

            invalid++;
            firstBad = firstBad < 0 ? i : firstBad;
            i++;
        }

        return (valid, invalid, firstBad);
    }

    /// <summary>
    /// Every byte pair is a well-formed GB18030 character and most are common Chinese: GB2312's level 1 (the 3,755
    /// commonest hanzi, leads B0-D7) or its punctuation (A1-A9). Russian text read as GB18030 breaks on odd-length
    /// words and its lower-case letters (E0-FF) make rare characters.
    /// </summary>
    internal static bool LooksLikeGb18030(byte[] content)
    {
        var (chars, common) = (0, 0);
        for (var i = 0; i < content.Length; i++)
        {
            var lead = content[i];
            if (lead < 0x80)
            {
                continue;
            }

            if (lead == 0x80 || lead == 0xFF || i + 1 >= content.Length)
            {
                return false;
            }

            var trail = content[i + 1];
            if (trail is >= 0x30 and <= 0x39)
            {
                // A four-byte character (rare: GB18030's additions to GBK).
                if (i + 3 >= content.Length || content[i + 2] is < 0x81 or > 0xFE || content[i + 3] is < 0x30 or > 0x39)
                {
                    return false;
                }

                chars++;
                i += 3;
                continue;
            }

            if (trail is < 0x40 or 0x7F or 0xFF)
            {
                return false;
            }

            chars++;
            if (trail >= 0xA1 && lead is (>= 0xA1 and <= 0xA9) or (>= 0xB0 and <= 0xD7))
            {
                common++;
            }

            i++;
        }

        return chars > 0 && common >= chars * 0.6;
    }

    /// <summary>
    /// Nearly every byte above ASCII is a Cyrillic letter (C0-FF, Ё A8, ё B8) or the punctuation Russian text uses
    /// (№ « » – — … “ ” and the no-break space), and they make words of their own: GB18030 Chinese read so has about a
    /// third of its bytes elsewhere, and Latin-1 accents (é = E9) sit inside Latin words.
    /// </summary>
    internal static bool LooksLikeWindows1251(byte[] content)
    {
        var (high, russian, inLatinWords) = (0, 0, 0);
        for (var i = 0; i < content.Length; i++)
        {
            var b = content[i];
            if (b < 0x80)
            {
                continue;
            }

            high++;
            if (b >= 0xC0 || b is 0xA8 or 0xB8 or 0xB9 or 0xAB or 0xBB or 0x96 or 0x97 or 0x85 or 0x93 or 0x94 or 0xA0)
            {
                russian++;
            }

            if ((i > 0 && char.IsAsciiLetter((char)content[i - 1])) || (i + 1 < content.Length && char.IsAsciiLetter((char)content[i + 1])))
            {
                inLatinWords++;
            }
        }

        return high > 0 && russian >= high * 0.95 && inLatinWords <= high * 0.1;
    }
}
