namespace Crm.Plugins.Standard.Dedup;

/// <summary>A normalized tax id or business licence number and whether its checksum proved it well-formed.</summary>
/// <param name="Value">Upper-case letters and digits only, e.g. <c>91310115MA1K3YJ10X</c>.</param>
/// <param name="Kind"><c>uscc</c> for an 18-character Chinese credit code, else <c>tax-id</c>.</param>
/// <param name="ChecksumValid">True when the format has a checksum and it holds; false when it fails; null when none applies.</param>
public sealed record TaxId(string Value, string Kind, bool? ChecksumValid)
{
    /// <summary>
    /// Folds width and case and drops separators (spaces, dashes, dots) as people type them. Answers null for text too
    /// short to identify a company (fewer than 6 characters) or with characters no tax id has.
    /// </summary>
    public static TaxId? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var folded = Text.Fold(text).ToUpperInvariant();
        var value = new string(folded.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (value.Length < 6 || folded.Any(c => char.IsLetter(c) && !char.IsAsciiLetter(c)))
        {
            return null;
        }

        if (value.Length == 18)
        {
            // Letters O and I are never in a credit code: people type them for 0 and 1.
            var code = value.Replace('O', '0').Replace('I', '1');
            return new TaxId(code, "uscc", CreditCode.IsValid(code));
        }

        return new TaxId(value, "tax-id", null);
    }
}
