namespace Crm.Grains.Org;

/// <summary>Finds the region an address falls in: every set criterion must match; the most specific region wins.</summary>
public static class RegionMatcher
{
    public static RegionDefinition? Match(string? address, IEnumerable<RegionDefinition> regions)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var postcodes = DigitRuns(address).Where(run => run.Length is >= 4 and <= 10).ToList();
        return regions
            .Where(r => Contains(address, r.Province) && Contains(address, r.City) && Contains(address, r.District)
                && (r.PostcodePrefix is null || postcodes.Any(p => p.StartsWith(r.PostcodePrefix, StringComparison.Ordinal))))
            .OrderByDescending(Specificity)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>A district beats a city beats a province; a longer postcode prefix beats a shorter one.</summary>
    private static int Specificity(RegionDefinition r) =>
        (r.District is null ? 0 : 400) + (r.City is null ? 0 : 200) + (r.Province is null ? 0 : 100) + (r.PostcodePrefix?.Length ?? 0) * 10;

    private static bool Contains(string address, string? part) =>
        part is null || address.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> DigitRuns(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var digit = i < text.Length && char.IsAsciiDigit(text[i]);
            if (digit && start < 0)
            {
                start = i;
            }
            else if (!digit && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }
}
