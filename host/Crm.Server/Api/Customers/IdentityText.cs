using System.Text;
using System.Text.RegularExpressions;
using Crm.Client;
using Crm.Grains.Common;

namespace Crm.Server.Api.Customers;

/// <summary>
/// A customer's fields as people type them, in the form they are validated, stored and matched in. Create, check and
/// import all go through <see cref="Normalize"/> before validation:
/// <list type="bullet">
/// <item>Unicode-normal (NFKC): Chinese input methods type full-width digits, letters, brackets and spaces
/// (１３８－００１３－８０００, ｉｎｆｏ＠ａｃｍｅ．ｃｎ), which are the same phone, e-mail or tax id as their ASCII forms.</item>
/// <item>A placeholder in a phone, e-mail or tax id (无, N/A, -, нет) is an empty field, not an invalid value.</item>
/// <item>A phone's extension, however written (转8001, доб. 12, 010-12345678-8001), is kept in one form: <c>ext. 8001</c>.</item>
/// <item>An e-mail loses <c>mailto:</c> and a display name (<c>Wang Wei &lt;wang@x.com&gt;</c>).</item>
/// <item>No control characters (C0, DEL, C1: pasted from terminals and other systems, invisible in the UI): a line
/// break or tab is a space, except in the address, which may be written on several lines.</item>
/// <item>No invisible format characters (Unicode Cf), dropped before anything else: the direction marks iPhone contacts
/// put around a copied number (U+202A ... U+202C), a zero-width space, a byte-order mark, a soft hyphen. A phone, e-mail
/// or tax id loses every one; a name, company, address or source those that mean nothing in Chinese, Russian or English
/// text (<see cref="TextInput.WithoutInvisibleMarks"/>), keeping the joiners of emoji and Persian-script names.</item>
/// </list>
/// </summary>
public static partial class IdentityText
{
    /// <summary>The form of an extension in a stored phone (the dedup strategy reads it and drops it from the key).</summary>
    public const string ExtensionMark = " ext. ";

    // What people put in a cell that has no value; compared case-insensitively after NFKC.
    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "无", "暂无", "没有", "不详", "n/a", "na", "none", "null", "нет", "-", "--", "—", "–", "/", "\\", "?",
    };

    public static CreateCustomerRequest Normalize(CreateCustomerRequest request) => request with
    {
        Name = Line(Nfkc(WithoutMarks(request.Name)))!,
        Company = Line(Nfkc(WithoutMarks(request.Company))),
        Phone = Phone(Blank(Line(Nfkc(WithoutFormat(request.Phone))))),
        Email = Email(Blank(Line(Nfkc(WithoutFormat(request.Email))))),
        TaxId = Blank(Line(Nfkc(WithoutFormat(request.TaxId)))),
        Address = TextInput.WithoutControls(Nfkc(WithoutMarks(request.Address)), multiLine: true),
        Source = Line(WithoutMarks(request.Source)),
    };

    /// <summary>A phone, e-mail or tax id without any format character (Unicode Cf): none is part of one.</summary>
    public static string? WithoutFormat(string? value) => TextInput.WithoutFormatCharacters(value);

    /// <summary>A name, company or address without the invisible marks that mean nothing in it; the joiners (ZWJ, ZWNJ) stay.</summary>
    public static string? WithoutMarks(string? value) => TextInput.WithoutInvisibleMarks(value);

    public static string? Nfkc(string? value) =>
        value is null || value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);

    /// <summary>A one-line field without control characters: a line break or tab in it is a space.</summary>
    public static string? Line(string? value) => TextInput.WithoutControls(value, multiLine: false);

    /// <summary>Null for a placeholder that means "none".</summary>
    public static string? Blank(string? value) => value is not null && Placeholders.Contains(value.Trim()) ? null : value;

    /// <summary>The number as typed with its extension, if any, written <c>ext. 8001</c>.</summary>
    public static string? Phone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        // Most phones are digits and separators with at most one dash between groups: no extension to look for (an import
        // normalises a million of them). An over-long cell is left for validation to refuse: the patterns backtrack.
        if (value.Length > MaxPhoneText || (!value.AsSpan().ContainsAnyExcept(PlainPhoneChars) && value.AsSpan().Count('-') < 2))
        {
            return value.Trim();
        }

        var match = Extension().Match(value);
        if (!match.Success)
        {
            match = AreaNumberExtension().Match(value);
        }

        return match.Success ? match.Groups["number"].Value.TrimEnd() + ExtensionMark + match.Groups["ext"].Value : value.Trim();
    }

    /// <summary>The address alone: without <c>mailto:</c> or a display name around it.</summary>
    public static string? Email(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var email = value.Trim();
        var open = email.LastIndexOf('<');
        if (open >= 0 && email.EndsWith('>'))
        {
            email = email[(open + 1)..^1].Trim();
        }

        return email.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? email[7..].Trim() : email;
    }

    private const int MaxPhoneText = 64;

    private static readonly System.Buffers.SearchValues<char> PlainPhoneChars = System.Buffers.SearchValues.Create("0123456789 +-()");

    // 010-12345678 ext 8001, 转8001, 分机 8001, x 8001, #8001, доб. 12, добавочный 12.
    [GeneratedRegex(@"^(?<number>.*?\d.*?)\s*(?:ext\.?|x|#|转|分机|доб\.?|добавочный)\s*(?<ext>\d{1,6})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Extension();

    // The Chinese way to write a landline with its extension: area code, number, extension (010-12345678-8001).
    [GeneratedRegex(@"^\s*(?<number>0\d{2,3}-\d{7,8})-(?<ext>\d{1,6})\s*$")]
    private static partial Regex AreaNumberExtension();
}
