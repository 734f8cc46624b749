namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// E-mail addresses to one form: lower case, display names and <c>mailto:</c> removed, full-width forms folded;
/// sub-addresses (<c>name+tag@</c>) dropped where the provider delivers them to <c>name@</c>; dots ignored in Gmail.
/// </summary>
public static class EmailNormalizer
{
    private static readonly HashSet<string> PlusAddressing =
    [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com",
        "mac.com", "fastmail.com", "proton.me", "protonmail.com", "yandex.ru", "yandex.com",
    ];

    private static readonly Dictionary<string, string> DomainAliases = new()
    {
        ["googlemail.com"] = "gmail.com",
        ["ya.ru"] = "yandex.ru",
        ["yandex.com"] = "yandex.ru",
        ["vip.qq.com"] = "qq.com",
        ["foxmail.com"] = "qq.com",
    };

    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = Text.Fold(text).Trim();
        var open = value.LastIndexOf('<');
        var close = value.LastIndexOf('>');
        if (open >= 0 && close > open)
        {
            value = value[(open + 1)..close];
        }

        if (value.StartsWith("mailto:", StringComparison.Ordinal))
        {
            value = value[7..];
        }

        value = value.Trim().Trim('.', ';', ',');
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Contains(' '))
        {
            return null;
        }

        var local = value[..at];
        var domain = value[(at + 1)..].TrimEnd('.');
        if (!domain.Contains('.'))
        {
            return null;
        }

        domain = DomainAliases.GetValueOrDefault(domain, domain);
        if (PlusAddressing.Contains(domain) && local.IndexOf('+') is > 0 and var plus)
        {
            local = local[..plus];
        }

        if (domain == "gmail.com")
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
        }

        // foxmail.com and vip.qq.com are aliases of QQ Mail for numeric (QQ-number) mailboxes only.
        if (domain == "qq.com" && !local.All(char.IsAsciiDigit) && value[(at + 1)..] != "qq.com")
        {
            domain = value[(at + 1)..];
        }

        return $"{local}@{domain}";
    }
}
