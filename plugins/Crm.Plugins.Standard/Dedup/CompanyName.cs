using System.Text.RegularExpressions;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// A company name reduced to what identifies it. <see cref="Core"/> drops legal forms, region prefixes, branch
/// words, width and punctuation (上海明辉贸易有限公司北京分公司 -> 明辉贸易; Shanghai Acme Trading Co., Ltd. -> acme trading;
/// ООО «Ромашка» -> ромашка). <see cref="Brand"/> also drops industry words (明辉, acme) and is what blocks candidates.
/// </summary>
/// <param name="Core">Words of the core name separated by single spaces (Chinese has none).</param>
/// <param name="Brand">The core without industry words; the core itself when nothing else would remain.</param>
/// <param name="Region">The region prefix that was stripped (上海, shanghai), or null.</param>
public sealed record CompanyName(string Core, string Brand, string? Region)
{
    private static readonly Regex Parenthesized = new(@"\(([^()]*)\)", RegexOptions.Compiled);

    private static readonly string[] RegionsLongestFirst = CompanyWords.ChineseRegions.OrderByDescending(r => r.Length).ToArray();

    private static readonly string[] IndustryLongestFirst = CompanyWords.ChineseIndustryWords.OrderByDescending(r => r.Length).ToArray();

    /// <summary>The core without spaces: what exact matches and similarity compare.</summary>
    public string Key => Text.WithoutSpaces(Core);

    /// <summary>The normalized name, or null when nothing identifying is left (empty, or one character).</summary>
    public static CompanyName? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var folded = Text.Fold(text).Replace("&", " and ", StringComparison.Ordinal).Replace("+", " and ", StringComparison.Ordinal);
        foreach (var phrase in CompanyWords.RussianLegalPhrases)
        {
            folded = folded.Replace(phrase, " ", StringComparison.Ordinal);
        }

        // (中国), (上海), (branch) carry no identity; other bracketed words are part of the name.
        folded = Parenthesized.Replace(folded, m => IsRegionOrBranch(m.Groups[1].Value) ? " " : $" {m.Groups[1].Value} ");
        var name = Text.HasCjk(folded) ? ParseChinese(folded) : ParseLatin(folded);
        return name is null || name.Key.Length < 2 ? null : name;
    }

    private static CompanyName? ParseChinese(string folded)
    {
        // The branch goes first (明辉贸易有限公司北京分公司), then everything from the first legal form on.
        var s = StripTrailingBranch(Text.LettersAndDigits(folded, '\0').Replace(" ", "", StringComparison.Ordinal));
        var cut = CompanyWords.ChineseLegalForms.Select(f => s.IndexOf(f, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (cut == 0)
        {
            return null;
        }

        if (cut > 0)
        {
            s = s[..cut];
        }

        string? region = null;
        for (var round = 0; round < 3; round++)
        {
            var prefix = RegionsLongestFirst.FirstOrDefault(r => s.StartsWith(r, StringComparison.Ordinal) && s.Length - r.Length >= 2);
            if (prefix is null)
            {
                break;
            }

            region ??= prefix;
            s = s[prefix.Length..];
            var suffix = CompanyWords.ChineseRegionSuffixes.FirstOrDefault(x => s.StartsWith(x, StringComparison.Ordinal) && s.Length - x.Length >= 2);
            if (suffix is not null)
            {
                s = s[suffix.Length..];
            }
        }

        var brand = s;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var word in IndustryLongestFirst)
            {
                if (brand.EndsWith(word, StringComparison.Ordinal) && brand.Length - word.Length >= 2)
                {
                    brand = brand[..^word.Length];
                    changed = true;
                }
            }
        }

        return new CompanyName(s, brand, region);
    }

    private static string StripTrailingBranch(string s)
    {
        foreach (var word in CompanyWords.ChineseBranchWords)
        {
            if (s.EndsWith(word, StringComparison.Ordinal) && s.Length - word.Length >= 2)
            {
                s = s[..^word.Length];
                foreach (var suffix in (string[])["", "市", "区", "省"])
                {
                    var region = RegionsLongestFirst.FirstOrDefault(r => s.EndsWith(r + suffix, StringComparison.Ordinal) && s.Length - r.Length - suffix.Length >= 2);
                    if (region is not null)
                    {
                        s = s[..^(region.Length + suffix.Length)];
                        break;
                    }
                }

                break;
            }
        }

        return s;
    }

    private static CompanyName? ParseLatin(string folded)
    {
        var tokens = Text.LettersAndDigits(folded).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count == 0)
        {
            return null;
        }

        var kept = tokens.Where(t => !CompanyWords.LatinLegalTokens.Contains(t) && !CompanyWords.RussianLegalTokens.Contains(t)).ToList();
        for (var i = kept.Count - 1; i >= 0; i = Math.Min(i - 1, kept.Count - 1))
        {
            if (CompanyWords.LatinBranchTokens.Contains(kept[i]))
            {
                kept.RemoveAt(i);
                if (i > 0 && CompanyWords.LatinRegionTokens.Contains(kept[i - 1]))
                {
                    kept.RemoveAt(i - 1);
                }
            }
        }

        // "GmbH & Co. KG" leaves a dangling "and".
        while (kept.Count > 0 && kept[^1] == "and")
        {
            kept.RemoveAt(kept.Count - 1);
        }

        if (kept.Count == 0)
        {
            return null;
        }

        string? region = null;
        while (kept.Count > 1 && CompanyWords.LatinRegionTokens.Contains(kept[0]))
        {
            region ??= kept[0];
            kept.RemoveAt(0);
        }

        while (kept.Count > 1 && CompanyWords.LatinRegionTokens.Contains(kept[^1]))
        {
            region ??= kept[^1];
            kept.RemoveAt(kept.Count - 1);
        }

        var brand = kept.Where(t => !IsLatinIndustryWord(t)).ToList();
        var core = string.Join(' ', kept);
        return new CompanyName(core, brand.Count == 0 ? Text.WithoutSpaces(core) : string.Concat(brand), region);
    }

    /// <summary>An industry word, also when mistyped by one edit ("indsutrial"): a typo must not move it into the brand.</summary>
    private static bool IsLatinIndustryWord(string token) =>
        CompanyWords.LatinIndustryTokens.Contains(token)
        || token.Length >= 6 && CompanyWords.LatinIndustryTokens.Any(w => w.Length >= 6 && Math.Abs(w.Length - token.Length) <= 1 && StringSimilarity.Levenshtein(w, token) >= 0.8);

    private static bool IsRegionOrBranch(string inner)
    {
        var s = Text.LettersAndDigits(inner).Trim();
        if (s.Length == 0)
        {
            return true;
        }

        foreach (var suffix in CompanyWords.ChineseRegionSuffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > suffix.Length)
            {
                s = s[..^suffix.Length];
                break;
            }
        }

        return CompanyWords.ChineseRegions.Contains(s)
            || CompanyWords.ChineseBranchWords.Any(w => s.EndsWith(w, StringComparison.Ordinal))
            || s.Split(' ').All(t => CompanyWords.LatinRegionTokens.Contains(t) || CompanyWords.LatinBranchTokens.Contains(t));
    }
}
