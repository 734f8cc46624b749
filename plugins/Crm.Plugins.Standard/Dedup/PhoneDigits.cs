namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// A cheap test before a phone text is parsed: normalizing to E.164 only rewrites the front of a number (country code,
/// trunk and international prefixes), so a plain text whose last seven digits differ from a number's is never that
/// number. Texts with anything besides ASCII digits and the usual separators (a label, an extension, full-width digits)
/// always go to the parser.
/// </summary>
public static class PhoneDigits
{
    private const int Tail = 7;

    /// <summary>False only when <paramref name="text"/> cannot be <paramref name="e164"/>; true when it may be (parse to know).</summary>
    public static bool MayBe(string e164, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (' ' or '-' or '(' or ')' or '+' or '.'))
            {
                return true;
            }
        }

        int i = text.Length, j = e164.Length;
        for (var matched = 0; matched < Tail; matched++)
        {
            do
            {
                i--;
            }
            while (i >= 0 && !char.IsAsciiDigit(text[i]));

            do
            {
                j--;
            }
            while (j >= 0 && !char.IsAsciiDigit(e164[j]));

            if (i < 0 || j < 0)
            {
                return true; // too short to tell
            }

            if (text[i] != e164[j])
            {
                return false;
            }
        }

        return true;
    }
}
