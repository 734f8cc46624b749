namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// A cheap test before a candidate's e-mail address is parsed (as <see cref="PhoneDigits"/> for phones): normalizing
/// keeps the first two characters of a plain address's mailbox, lower-cased (a "+tag", the dots of a Gmail name, a
/// display name or "mailto:" change a mailbox, and those are not plain), so a plain address that starts otherwise is
/// never the lead's.
/// </summary>
public static class EmailStart
{
    /// <summary>False only when <paramref name="text"/> cannot normalize to <paramref name="normalized"/>; true when it may.</summary>
    public static bool MayBe(string normalized, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.Length < 2 || normalized.Length < 2 || !char.IsAsciiLetterOrDigit(text[0]) || !char.IsAsciiLetterOrDigit(text[1])
            || text.Contains('<') || text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return char.ToLowerInvariant(text[0]) == normalized[0] && char.ToLowerInvariant(text[1]) == normalized[1];
    }
}
