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
    /// <summary>The industry words of the core (科技, "trading"), which the brand leaves out.</summary>
    public string Industry { get; init; } = "";

    private static readonly Regex Parenthesized = new(@"\(([^()]*)\)", RegexOptions.Compiled);

    private static readonly Lazy<FuzzyWords> FuzzyLegal = new(() => new FuzzyWords(CompanyWords.LatinLegalTokens, 6));

    private static readonly Lazy<FuzzyWords> FuzzyIndustry = new(() => new FuzzyWords(CompanyWords.LatinIndustryTokens, 5));

    private static readonly Lazy<FuzzyWords> FuzzyRegions = new(() => new FuzzyWords(CompanyWords.LatinRegionTokens.Concat(ChineseRegions.Instance.LatinNames), 5));

    private static readonly ParseCache<string, CompanyName?> Cache = new(ParseCaches.Capacity, StringComparer.Ordinal);

    private static readonly HashSet<string> IndustryWords = [.. CompanyWords.ChineseIndustryWords];

    private static readonly string[] IndustryLongestFirst = CompanyWords.ChineseIndustryWords.OrderByDescending(r => r.Length).ToArray();

    /// <summary>The core without spaces: what exact matches and similarity compare.</summary>
    /// <remarks>Computed once (a comparison reads it several times); no <c>with</c> changes <see cref="Core"/>.</remarks>
    public string Key { get; } = Text.WithoutSpaces(Core);

    /// <summary>The core's words in ordinal order without spaces (<see cref="StringSimilarity.TokenSort"/>), parsed once.</summary>
    public string SortedKey { get; } = StringSimilarity.SortedWords(Core);

    /// <summary>The normalized name, or null when nothing identifying is left (empty, or one character).</summary>
    public static CompanyName? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // The index compares one lead with many candidates, and a candidate with many leads: parse each text once.
        return Cache.GetOrAdd(text, ParseUncached);
    }

    private static CompanyName? ParseUncached(string text)
    {
        // Xi'an, Huai'an: an apostrophe splits no word.
        var folded = Text.Fold(text).Replace("'", "", StringComparison.Ordinal).Replace("&", " and ", StringComparison.Ordinal).Replace("+", " and ", StringComparison.Ordinal);
        foreach (var phrase in CompanyWords.RussianLegalPhrases)
        {
            folded = folded.Replace(phrase, " ", StringComparison.Ordinal);
        }

        // (中国), (衢州), (上海分公司), (branch) carry no identity but the region; other bracketed words are part of the name.
        string? bracketRegion = null;
        folded = Parenthesized.Replace(folded, m =>
        {
            if (!IsRegionOrBranch(m.Groups[1].Value, out var region))
            {
                return $" {m.Groups[1].Value} ";
            }

            bracketRegion ??= region;
            return " ";
        });
        var name = Text.HasCjk(folded) ? ParseChinese(folded) : ParseLatin(folded);
        if (name is null || name.Key.Length < 2)
        {
            return null;
        }

        return name.Region is null && bracketRegion is not null ? name with { Region = bracketRegion } : name;
    }

    private static CompanyName? ParseChinese(string folded)
    {
        // The branch goes first (明辉贸易有限公司北京分公司), then everything from the first legal form on.
        var s = StripTrailingBranch(Text.LettersAndDigits(folded, '\0').Replace(" ", "", StringComparison.Ordinal), out var branchRegion);
        var cut = CompanyWords.ChineseLegalForms.Select(f => s.IndexOf(f, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (cut == 0)
        {
            return null;
        }

        if (cut > 0)
        {
            s = s[..cut];
        }

        // Region prefixes (浙江省衢州市, 衢州, 杭州西湖区): the most specific one is the company's region.
        string? region = null;
        for (var round = 0; round < 4; round++)
        {
            var prefix = ChineseRegions.Instance.PrefixOf(s, 2, region);
            if (prefix is null || !HasBrand(s[prefix.Length..]))
            {
                break;
            }

            region = prefix == "中国" ? region : prefix;
            s = s[prefix.Length..];
            var suffix = CompanyWords.ChineseRegionSuffixes.FirstOrDefault(x => s.StartsWith(x, StringComparison.Ordinal) && s.Length - x.Length >= 2);
            if (suffix is not null)
            {
                s = s[suffix.Length..];
            }
        }

        // A branch is where its city says (明辉贸易有限公司杭州分公司 is in 杭州, whatever city the company was registered in):
        // two branches of one company in two cities are compared as one name in two regions, not as one customer.
        var brand = ChineseBrand(s);
        return new CompanyName(s, brand, branchRegion ?? region) { Industry = s.StartsWith(brand, StringComparison.Ordinal) ? s[brand.Length..] : "" };
    }

    /// <summary>The core without its trailing industry words (明辉贸易 -> 明辉); the core when nothing would remain.</summary>
    private static string ChineseBrand(string s)
    {
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

        return brand;
    }

    /// <summary>
    /// True when two characters or more other than industry words are left (辽阳宏伟机械 keeps 宏伟: 机械 alone names no
    /// one; 东方红食品 keeps 东方: 红 alone is no brand).
    /// </summary>
    private static bool HasBrand(string rest)
    {
        var brand = rest;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var word in IndustryLongestFirst)
            {
                if (brand.EndsWith(word, StringComparison.Ordinal) && brand.Length > word.Length)
                {
                    brand = brand[..^word.Length];
                    changed = true;
                }
            }
        }

        return brand.Length >= 2 && !IndustryWords.Contains(brand);
    }

    /// <summary>The name without its trailing branch words, and the branch's city when they name one (北京分公司 -> 北京).</summary>
    private static string StripTrailingBranch(string s, out string? branchRegion)
    {
        branchRegion = null;
        foreach (var word in CompanyWords.ChineseBranchWords)
        {
            if (s.EndsWith(word, StringComparison.Ordinal) && s.Length - word.Length >= 2)
            {
                s = s[..^word.Length];
                if (ChineseRegions.Instance.SuffixOf(s, 2) is { } region)
                {
                    s = s[..^region.Length];
                    branchRegion = region;
                }

                break;
            }
        }

        return s;
    }

    private static CompanyName? ParseLatin(string folded)
    {
        var tokens = JoinInitials(Text.LettersAndDigits(folded).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (tokens.Count == 0)
        {
            return null;
        }

        // Industry words in one spelling (tech, technologies -> technology; mistyped "consultaing" too), so that
        // abbreviations and typos in them do not make two names of one company differ.
        var kept = tokens.Where(t => !IsLatinLegalWord(t) && !CompanyWords.RussianLegalTokens.Contains(t))
            .Select(t => CanonicalIndustryWord(t) ?? t).ToList();
        for (var i = kept.Count - 1; i >= 0; i = Math.Min(i - 1, kept.Count - 1))
        {
            if (CompanyWords.LatinBranchTokens.Contains(kept[i]))
            {
                kept.RemoveAt(i);
                if (i > 0 && CompanyWords.IsLatinRegion(kept[i - 1]))
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
        while (kept.Count > 1 && IsLatinRegionWord(kept[0]) && kept.Skip(1).Any(t => !IsLatinIndustryWord(t)))
        {
            region ??= kept[0];
            kept.RemoveAt(0);
        }

        while (kept.Count > 1 && IsLatinRegionWord(kept[^1]) && kept.SkipLast(1).Any(t => !IsLatinIndustryWord(t)))
        {
            region ??= kept[^1];
            kept.RemoveAt(kept.Count - 1);
        }

        var brand = kept.Where(t => !IsLatinIndustryWord(t)).ToList();
        var core = string.Join(' ', kept);
        return new CompanyName(core, brand.Count == 0 ? Text.WithoutSpaces(core) : string.Concat(brand), region)
        {
            Industry = string.Join(' ', kept.Where(IsLatinIndustryWord)),
        };
    }

    /// <summary>A legal-form word, also when mistyped by one edit ("limted", "compnay").</summary>
    private static bool IsLatinLegalWord(string token) =>
        CompanyWords.LatinLegalTokens.Contains(token) || token.Length >= 5 && FuzzyLegal.Value.Find(token) is not null;

    /// <summary>A region word, also when mistyped by one edit ("shanghia", "hangzou"); short ones must be exact.</summary>
    private static bool IsLatinRegionWord(string token) =>
        CompanyWords.IsLatinRegion(token) || token.Length >= 5 && Text.IsLatinWord(token) && FuzzyRegions.Value.Find(token) is not null;

    private static bool IsLatinIndustryWord(string token) => CanonicalIndustryWord(token) is not null;

    /// <summary>The one spelling of an industry word (tech -> technology), also of one mistyped by one edit; null for other words.</summary>
    private static string? CanonicalIndustryWord(string token)
    {
        // A four-letter word may be a five-letter one missing a letter (fods).
        var word = CompanyWords.LatinIndustryTokens.Contains(token) ? token
            : token.Length >= 4 && Text.IsLatinWord(token) ? FuzzyIndustry.Value.Find(token) : null;
        return word is null ? null : CompanyWords.IndustrySynonyms.GetValueOrDefault(word, word);
    }

    /// <summary>Runs of single letters are one word: "l.l.c." is llc, "s.a." is sa.</summary>
    private static List<string> JoinInitials(string[] tokens)
    {
        var joined = new List<string>(tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Length == 1 && i + 1 < tokens.Length && tokens[i + 1].Length == 1)
            {
                var run = new System.Text.StringBuilder();
                while (i < tokens.Length && tokens[i].Length == 1)
                {
                    run.Append(tokens[i++]);
                }

                joined.Add(run.ToString());
                i--;
            }
            else
            {
                joined.Add(tokens[i]);
            }
        }

        return joined;
    }

    private static bool IsRegionOrBranch(string inner, out string? region)
    {
        region = null;
        var s = Text.LettersAndDigits(inner).Trim();
        if (s.Length == 0)
        {
            return true;
        }

        if (CompanyWords.ChineseBranchWords.FirstOrDefault(w => s.EndsWith(w, StringComparison.Ordinal)) is { } branch)
        {
            s = s[..^branch.Length];
            region = s.Length > 0 && ChineseRegions.Instance.Contains(s) ? s : null;
            return s.Length == 0 || region is not null;
        }

        if (ChineseRegions.Instance.Contains(s))
        {
            region = s == "中国" ? null : s;
            return true;
        }

        var tokens = s.Split(' ');
        if (tokens.All(t => CompanyWords.IsLatinRegion(t) || CompanyWords.LatinBranchTokens.Contains(t)))
        {
            region = tokens.FirstOrDefault(t => CompanyWords.IsLatinRegion(t) && t is not ("china" or "prc"));
            return true;
        }

        return false;
    }
}
