using System.Text.RegularExpressions;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>A normalized tax id or business licence number and whether its checksum proved it well-formed.</summary>
/// <param name="Value">Upper-case letters and digits only, e.g. <c>91310115MA1K3YJ10X</c>.</param>
/// <param name="Kind"><c>uscc</c> for an 18-character Chinese credit code, else <c>tax-id</c> (Russian INN/OGRN included, <see cref="Scheme"/> tells).</param>
/// <param name="ChecksumValid">True when the format has a checksum and it holds; false when it fails; null when none applies.</param>
/// <param name="Scheme">The recognised scheme: uscc, inn, ogrn, ogrnip; null for another tax id.</param>
public sealed record TaxId(string Value, string Kind, bool? ChecksumValid, string? Scheme = null)
{
    // Labels people type before the number: ИНН 7707083893, ИНН/КПП 7707083893/770701001, 税号: ..., VAT ...
    private static readonly Regex Label = new(
        @"^\s*(инн\s*/\s*кпп|огрнип|огрн|инн|кпп|统一社会信用代码|信用代码|纳税人识别号|税号|uscc|tax\s*id|vat(\s*no)?|inn|ogrnip|ogrn)\.?\s*(№|no\.?|:)?\s*",
        RegexOptions.Compiled | RegexOptions.IgnoreCase);

    // INN/KPP written together: the INN identifies, the KPP (9 digits) does not.
    private static readonly Regex InnSlashKpp = new(@"^(\d{10})\s*/\s*\d{9}$", RegexOptions.Compiled);

    /// <summary>
    /// Folds width and case, drops labels and separators (spaces, dashes, dots) as people type them. Answers null for
    /// text too short to identify a company (fewer than 6 characters), with characters no tax id has, or for a KPP alone.
    /// </summary>
    public static TaxId? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var folded = Text.Fold(text);
        var label = Label.Match(folded);
        if (label.Success && label.Groups[1].Value == "кпп")
        {
            return null;
        }

        folded = folded[label.Length..].Trim().ToUpperInvariant();
        if (InnSlashKpp.Match(folded) is { Success: true } innKpp)
        {
            folded = innKpp.Groups[1].Value;
        }

        var value = new string(folded.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (value.Length < 6 || folded.Any(c => char.IsLetter(c) && !char.IsAsciiLetter(c)))
        {
            return null;
        }

        if (value.Length == 18)
        {
            // Letters O and I are never in a credit code: people type them for 0 and 1.
            var code = value.Replace('O', '0').Replace('I', '1');
            return new TaxId(code, "uscc", CreditCode.IsValid(code), "uscc");
        }

        // A number of an INN/OGRN length whose check digits fail is some other tax id, not a mistyped INN: no verdict.
        return RussianTaxIds.KindOf(value) is { } scheme ? new TaxId(value, "tax-id", true, scheme) : new TaxId(value, "tax-id", null);
    }
}
