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

    private static readonly Regex Number = new(@"\d+", RegexOptions.Compiled);

    private static readonly string[] RegionsLongestFirst = CompanyWords.ChineseRegions.OrderByDescending(r => r.Length).ToArray();

    public static AddressText? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var folded = FloorOrRoom.Replace(Text.Fold(text), " ");
        var tokens = Text.LettersAndDigits(folded).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => Abbreviations.GetValueOrDefault(t, t))
            .Where(t => t.Length > 0 && !CompanyWords.LatinRegionTokens.Contains(t))
            .ToList();
        var numbers = tokens.SelectMany(t => Number.Matches(t).Select(m => m.Value)).ToHashSet();
        var joined = string.Concat(tokens);
        foreach (var region in RegionsLongestFirst)
        {
            foreach (var suffix in (string[])["省", "市", ""])
            {
                joined = joined.Replace(region + suffix, "", StringComparison.Ordinal);
            }
        }

        return joined.Length < 2 ? null : new AddressText(joined, numbers);
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
