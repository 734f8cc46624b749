using System.Text;
using Crm.Sdk;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// <c>company-name</c>: the company's core name (legal forms, regions, branch words, width and punctuation removed),
/// matched exactly or by similarity above a threshold, and weighed with the address: a similar name at a similar
/// address is strong; the same name in another city with another address is another company.
/// </summary>
/// <remarks>
/// Blocking keys are the brand (the core without industry words, at most 12 characters) and, for brands of three
/// characters or more, the brand with each one character deleted: a typo of one character still shares a key; and
/// the core with its industry words, which stays specific where a brand is common.
/// </remarks>
public sealed class CompanyNameStrategy(DedupSettings settings) : IDedupStrategy
{
    public const string StrategyName = "company-name";

    private const int BlockLength = 12;

    public CompanyNameStrategy() : this(new DedupSettings())
    {
    }

    public string Name => StrategyName;

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        if (CompanyOf(customer) is not { } name)
        {
            yield break;
        }

        foreach (var key in WithDeletions(name.Brand))
        {
            yield return key;
        }

        // The core with its trade (明远科技, acmetrading) is rarer than the brand: it still finds candidates when the
        // index treats a brand held by a great many customers as a common word.
        if (name.Key != name.Brand)
        {
            yield return new BlockingKey("name", Block(name.Key));
        }

        // Across scripts: a Chinese name also blocks on its pinyin (明远 -> mingyuan, the brand of "Mingyuan Tech");
        // a Cyrillic name on its transliteration skeleton with its typo variants; a Latin name on its skeleton.
        if (CrossScript.IsChinese(name))
        {
            if (CrossScript.PinyinKey(name) is { } pinyin)
            {
                yield return new BlockingKey("name", Block(pinyin));
            }
        }
        else if (CrossScript.IsCyrillic(name))
        {
            var skeleton = CrossScript.Skeleton(name);
            foreach (var key in WithDeletions(skeleton.Brand))
            {
                yield return key;
            }

            yield return new BlockingKey("name", Block(Transliteration.Skeleton(name.Brand)));
        }
        else
        {
            yield return new BlockingKey("name", Block(Transliteration.Skeleton(name.Brand)));
        }
    }

    private static IEnumerable<BlockingKey> WithDeletions(string value)
    {
        var brand = Block(value);
        yield return new BlockingKey("name", brand);
        if (brand.Length >= 3)
        {
            for (var i = 0; i < brand.Length; i++)
            {
                yield return new BlockingKey("name", brand.Remove(i, 1));
            }
        }
    }

    private static string Block(string value) => value.Length > BlockLength ? value[..BlockLength] : value;

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        if (CompanyOf(incoming) is not { } a || CannotBeSimilar(a, existing) || CompanyOf(existing) is not { } b)
        {
            return null;
        }

        if (CrossScript.IsChinese(a) != CrossScript.IsChinese(b))
        {
            return CompareChineseWithRendering(CrossScript.IsChinese(a) ? a : b, CrossScript.IsChinese(a) ? b : a);
        }

        // A Russian name and its transliteration are compared in the spelling skeleton (Romashka = Ромашка).
        if (CrossScript.IsCyrillic(a) != CrossScript.IsCyrillic(b))
        {
            (a, b) = (CrossScript.Skeleton(a), CrossScript.Skeleton(b));
        }

        // Numbered places (Аптека №12 and №15, Школа №5 and №57, 7-Eleven 101 and 102): the number is what tells them apart.
        if (NumbersDiffer(a.Key, b.Key))
        {
            return null;
        }

        // Below the floor no name decides anything (neither similar nor near enough for an address to help), so most
        // candidates, other companies, are compared only until they cannot reach it.
        var floor = Math.Min(0.6, settings.NameThreshold);
        var name = a.Key == b.Key ? 1.0 : Math.Max(StringSimilarity.LevenshteinAtLeast(a.Key, b.Key, floor), WordOrderBlind(a, b, floor));
        var typo = IsOneTypoApart(a.Key, b.Key);
        var similar = name >= Threshold(a.Key, b.Key) || typo;
        if (!similar && name < 0.6)
        {
            return null; // no address makes names this far apart one company: the addresses are not read (most candidates)
        }

        var address = AddressText.Parse(incoming.Address) is { } x && AddressText.Parse(existing.Address) is { } y ? x.Similarity(y) : (double?)null;
        if (similar)
        {
            var regionsDiffer = RegionsDiffer(a.Region, b.Region);
            if (regionsDiffer && address is < 0.5)
            {
                return null; // the same name registered in another city at another address is another company
            }

            // Another region on each side and no address to tell: weaker than a region missing on one side.
            if (regionsDiffer && address is null)
            {
                return name >= 1.0 ? Match(a, MatchStrength.Weak, 0.6, "same company core name in another region") : null;
            }

            if (address >= 0.5)
            {
                return Match(a, MatchStrength.Strong, 0.7 * name + 0.3 * address.Value, "similar company name at a similar address");
            }

            // Without an address to agree, a one-letter difference in a short brand, or in the first letter of any
            // (Vorhel, Torhel; Вектор, Сектор), is another company.
            if (!typo && a.Brand != b.Brand && (StringSimilarity.Levenshtein(a.Brand, b.Brand) < BrandThreshold(Math.Min(a.Brand.Length, b.Brand.Length))
                || a.Brand[0] != b.Brand[0] && StringSimilarity.EditDistanceWithin(a.Brand, b.Brand, 1) == 1))
            {
                return null;
            }

            if (address is null)
            {
                return name >= 1.0
                    ? Match(a, MatchStrength.Strong, 0.9, "same company core name")
                    : Match(a, MatchStrength.Weak, 0.8 * name, "similar company core name");
            }

            // A similar (not equal) name at another address is another company more often than a typo.
            return name >= 1.0 ? Match(a, MatchStrength.Weak, 0.6 * name + 0.4 * address.Value, "same company name at another address") : null;
        }

        if (name >= 0.6 && address >= 0.85)
        {
            return Match(a, MatchStrength.Weak, 0.5 * name + 0.5 * address.Value, "similar company name at the same address");
        }

        // A Chinese brand alone, its trade left out on one side (字节跳动有限公司 ~ 北京字节跳动科技有限公司): a person decides,
        // unless the regions or the addresses say otherwise. The same brand in another trade is another company; so is a
        // Russian name with a trade word added (Кристалл, Кристалл-Торг: a separate trading company as a rule).
        if (CrossScript.IsChinese(a) && a.Brand == b.Brand && (a.Industry.Length == 0) != (b.Industry.Length == 0) && a.Brand.Length >= 2
            && !RegionsDiffer(a.Region, b.Region) && address is null or >= 0.5)
        {
            return Match(a, MatchStrength.Weak, 0.6, "same brand, its trade left out on one side");
        }

        return null;
    }

    /// <summary>
    /// True when a Chinese lead's core shares too few characters with a Chinese candidate's raw name for any match, which
    /// is then not parsed: at a million customers most candidates' names are not in the parse cache, and most candidates
    /// (found through a common brand's deletion variant or a pinyin) are other companies. Exact, not a guess: a Chinese
    /// core is the folded name with characters removed, so the characters it shares with the lead's core are at most those
    /// the folded name shares; an edit distance is at least the longer core's length less the characters shared, so the
    /// similarity is at most shared / the lead core's length; and a Chinese name matches from 0.6 on (the name threshold
    /// if lower), never by a typo.
    /// </summary>
    internal bool CannotBeSimilar(CompanyName lead, CustomerSnapshot candidate)
    {
        var raw = string.IsNullOrWhiteSpace(candidate.Company) ? candidate.Name : candidate.Company;
        if (!CrossScript.IsChinese(lead) || CrossScript.IsCyrillic(lead) || string.IsNullOrEmpty(raw) || !Text.HasCjk(raw) || !ChineseOnly(raw))
        {
            return false; // another script may be a rendering of the lead (compared otherwise); '&' and '+' become "and"
        }

        // The raw name folded as the parser folds it, in a buffer on the stack: a name already in NFKC (almost all) has no
        // letter but Chinese ones, so folding it is the traditional-to-simplified map alone. A string folded per pair was a
        // twentieth of what an import allocated.
        Span<char> folded = raw.Length <= 128 ? stackalloc char[raw.Length] : new char[raw.Length];
        if (raw.IsNormalized(NormalizationForm.FormKC))
        {
            for (var i = 0; i < raw.Length; i++)
            {
                folded[i] = TraditionalChinese.ToSimplified(raw[i]);
            }
        }
        else
        {
            folded = Text.Fold(raw).ToCharArray();
        }

        Span<bool> used = folded.Length <= 256 ? stackalloc bool[folded.Length] : new bool[folded.Length];
        var shared = 0;
        foreach (var c in lead.Key)
        {
            var at = folded.IndexOf(c);
            while (at >= 0 && used[at])
            {
                var next = folded[(at + 1)..].IndexOf(c);
                at = next < 0 ? -1 : at + 1 + next;
            }

            if (at >= 0)
            {
                used[at] = true;
                shared++;
            }
        }

        return shared < Math.Min(0.6, settings.NameThreshold) * lead.Key.Length;
    }

    /// <summary>No Latin or Cyrillic letter and no '&amp;' or '+': the name parses as Chinese (or not at all), with nothing added.</summary>
    private static bool ChineseOnly(string raw)
    {
        foreach (var c in raw)
        {
            if (c is '&' or '+' or '＆' or '＋' || char.IsLetter(c) && !Text.IsCjk(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <see cref="StringSimilarity.TokenSort"/> of the two cores from their words sorted once at parsing. When both cores'
    /// words are in order already (a Chinese core is one word) it is the similarity of the keys, computed beside it anyway:
    /// 0 then leaves the maximum to that one. Edit distances and sorted copies were 8 % of an import's CPU with every rule
    /// on, and for Chinese names half of it was this same distance computed twice (perf, 4 December).
    /// </summary>
    private static double WordOrderBlind(CompanyName a, CompanyName b, double floor) =>
        a.SortedKey == a.Key && b.SortedKey == b.Key ? 0 : StringSimilarity.LevenshteinAtLeast(a.SortedKey, b.SortedKey, floor);

    /// <summary>
    /// A Chinese name and a Latin one match when the Latin brand reads as the pinyin of the Chinese brand, the trades
    /// agree and the regions do not contradict: weak at most, since one romanization has many characters (明远, 明源).
    /// </summary>
    private static MatchResult? CompareChineseWithRendering(CompanyName chinese, CompanyName latin)
    {
        if (!CrossScript.Renders(chinese, latin) || RegionsDiffer(chinese.Region, latin.Region))
        {
            return null;
        }

        return Match(latin, MatchStrength.Weak, 0.7, "Chinese name and its pinyin rendering");
    }

    /// <summary>
    /// One mistyped letter (a substitution, a missing or extra letter, two letters swapped) anywhere in a Latin or
    /// Cyrillic name of six letters or more. The first letter must agree: people mistype inside words, while two
    /// companies whose names differ in one letter usually differ in the first (Vorhel, Torhel).
    /// </summary>
    private static bool IsOneTypoApart(string a, string b) =>
        a != b && Math.Min(a.Length, b.Length) >= 6 && a[0] == b[0] && !Text.HasCjk(a) && !Text.HasCjk(b)
        && Math.Abs(a.Length - b.Length) <= 1 && StringSimilarity.EditDistanceWithin(a, b, 1) == 1;

    /// <summary>How alike two core names must be: short names must be equal, long Latin names may differ by typos.</summary>
    private double Threshold(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        if (Text.HasCjk(a) || Text.HasCjk(b))
        {
            return length >= 6 ? settings.NameThreshold : 1.0;
        }

        return length >= 8 ? settings.NameThreshold : length >= 5 ? 0.8 : 1.0;
    }

    private double BrandThreshold(int length) => length >= 8 ? settings.NameThreshold : length >= 6 ? 0.83 : 1.0;

    /// <summary>Both names carry a region and neither lies inside the other (衢州 and 淮安; not 浙江 and 衢州).</summary>
    /// <summary>Both names carry numbers, and not the same ones in the same order (leading zeros aside). Allocates nothing.</summary>
    private static bool NumbersDiffer(string a, string b)
    {
        if (a.AsSpan().IndexOfAnyInRange('0', '9') < 0 || b.AsSpan().IndexOfAnyInRange('0', '9') < 0)
        {
            return false; // most names: no number on one side at least
        }

        var (i, j) = (0, 0);
        while (true)
        {
            var x = NextNumber(a, ref i);
            var y = NextNumber(b, ref j);
            if (x.IsEmpty && y.IsEmpty)
            {
                return false;
            }

            if (!x.SequenceEqual(y))
            {
                return true;
            }
        }
    }

    private static ReadOnlySpan<char> NextNumber(string s, ref int at)
    {
        var start = s.AsSpan(at).IndexOfAnyInRange('0', '9');
        if (start < 0)
        {
            at = s.Length;
            return default;
        }

        start += at;
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        at = end;
        var run = s.AsSpan(start, end - start).TrimStart('0');
        return run.IsEmpty ? "0" : run;
    }

    private static bool RegionsDiffer(string? a, string? b)
    {
        if (a is null || b is null || a == b || IsCountry(a) || IsCountry(b))
        {
            return false;
        }

        var regions = ChineseRegions.Instance;
        return !(regions.Contains(a) && regions.Contains(b)) || !regions.Compatible(a, b);
    }

    private static bool IsCountry(string region) => region is "中国" or "china" or "prc";

    /// <summary>The company name of a customer; a lead without one is matched on its name only when that reads as a company.</summary>
    internal static CompanyName? CompanyOf(CustomerSnapshot customer)
    {
        if (!string.IsNullOrWhiteSpace(customer.Company))
        {
            return CompanyName.Parse(customer.Company);
        }

        var parsed = CompanyName.Parse(customer.Name);
        return parsed is not null && Text.WithoutSpaces(Text.LettersAndDigits(Text.Fold(customer.Name))) != parsed.Key ? parsed : null;
    }

    /// <summary>A match found under the incoming name's core; made only for a match, not for every comparison.</summary>
    private static MatchResult Match(CompanyName incoming, MatchStrength strength, double score, string reason) =>
        new() { Key = new BlockingKey("company-name", incoming.Key), Strength = strength, Score = Math.Round(score, 3), Reason = reason };
}
