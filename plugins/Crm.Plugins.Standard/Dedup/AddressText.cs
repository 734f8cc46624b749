using System.Text.RegularExpressions;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// A postal address reduced for comparison: width, case and punctuation folded, province and city names dropped
/// (people write them or not), common Latin abbreviations spelled out; the house numbers kept apart.
/// </summary>
public sealed record AddressText(string Key, IReadOnlySet<string> Numbers)
{
    private static readonly Dictionary<string, string> Abbreviations = new()
    {
        ["rd"] = "road", ["st"] = "street", ["ave"] = "avenue", ["blvd"] = "boulevard", ["bldg"] = "building",
        ["fl"] = "floor", ["flr"] = "floor", ["rm"] = "room", ["ste"] = "suite", ["dist"] = "district",
        ["no"] = "", ["nr"] = "", ["ул"] = "улица", ["д"] = "", ["пр"] = "проспект", ["г"] = "",
    };

    // Floors and rooms are details inside one building: "3楼", "12层", "floor 3", "rm 1203" are dropped.
    private static readonly Regex FloorOrRoom = new(@"\d+\s*(楼|层|室|f\b)|\b(floor|fl|flr|room|rm|suite|ste|этаж|офис)\.?\s*\d+", RegexOptions.Compiled);

    // Each address is compared with many others: parse each text once.
    private static readonly ParseCache<string, AddressText?> Cache = new(ParseCaches.Capacity, StringComparer.Ordinal);

    private static readonly Regex Number = new(@"\d+", RegexOptions.Compiled);

    public static AddressText? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Cache.GetOrAdd(text, ParseUncached);
    }

    private static AddressText? ParseUncached(string text)
    {
        var folded = FloorOrRoom.Replace(Text.Fold(text), " ");
        var tokens = Text.LettersAndDigits(folded).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => Abbreviations.GetValueOrDefault(t, t))
            .Where(t => t.Length > 0 && !CompanyWords.IsLatinRegion(t))
            .ToList();
        var numbers = tokens.SelectMany(t => Number.Matches(t).Select(m => m.Value)).ToHashSet();
        var joined = WithoutRegions(string.Concat(tokens));
        return joined.Length < 2 ? null : new AddressText(joined, numbers);
    }

    /// <summary>Drops every region name (浙江省衢州市柯城区, 衢州, 柯城 after 衢州): people write them or not.</summary>
    private static string WithoutRegions(string text)
    {
        var regions = ChineseRegions.Instance;
        var sb = new System.Text.StringBuilder(text.Length);
        string? parent = null;
        for (var i = 0; i < text.Length;)
        {
            if (Text.IsCjk(text[i]) && regions.PrefixOf(text.AsSpan(i), 0, parent) is { } region)
            {
                parent = region;
                i += region.Length;
                continue;
            }

            parent = null;
            sb.Append(text[i++]);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Character-bigram overlap (Dice) of the two addresses; halved when both carry house numbers and share none,
    /// because the same street with another number is another building.
    /// </summary>
    public double Similarity(AddressText other)
    {
        var dice = StringSimilarity.Dice(Key, other.Key);
        if (Numbers.Count > 0 && other.Numbers.Count > 0 && !Numbers.Overlaps(other.Numbers))
        {
            dice *= 0.5;
        }

        return dice;
    }
}
