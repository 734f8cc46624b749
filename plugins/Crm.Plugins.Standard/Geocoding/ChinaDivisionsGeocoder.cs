using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Plugins.Standard.Geocoding;

/// <summary>
/// <c>china-divisions</c>: an offline geocoder for Chinese addresses. It reads the chain of division names an address
/// starts with (浙江省杭州市西湖区..., 衢州柯城..., Hangzhou) against the standard division table and answers the point
/// of the finest division it names: a district's seat, else its city's, else its province's, with the division's
/// radius as the accuracy. A name that stands for divisions in different places (西湖区 is in 杭州 and 南昌; 朝阳区 in
/// 北京 and 长春) is answered only as far as those places agree, or not at all.
/// </summary>
public sealed class ChinaDivisionsGeocoder : IGeocoder
{
    // The four municipalities are cities, though their codes sit at the province level.
    private static readonly HashSet<string> Municipalities = ["11", "12", "31", "50"];

    public string Name => "china-divisions";

    public Task<GeocodeResult> GeocodeAsync(GeocodeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Geocode(request.Address));

    internal static GeocodeResult Geocode(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return GeocodeResult.NotFound("the address is empty");
        }

        var text = Text.WithoutSpaces(Text.Fold(address));
        var named = ChineseChain(text) ?? LatinNames(text);
        if (named is null || named.Count == 0)
        {
            return GeocodeResult.NotFound("it names no Chinese province, city or district");
        }

        // The finest division all readings of the last name share: 西湖区 alone is 3301xx or 3601xx, which share nothing.
        var code = CommonPrefix(named.Select(r => r.Code));
        var regions = ChineseRegions.Instance;
        for (var length = code.Length - code.Length % 2; length >= 2; length -= 2)
        {
            if (DivisionPoints.Instance.Of(code[..length]) is { } point)
            {
                var precision = length switch { 6 => GeocodePrecision.District, 4 => GeocodePrecision.City, _ when Municipalities.Contains(code[..2]) => GeocodePrecision.City, _ => GeocodePrecision.Province };
                return GeocodeResult.Located(point.Lat, point.Lon, point.RadiusMeters, precision, MatchedName(code[..length], regions));
            }
        }

        return GeocodeResult.NotFound(named.Count > 1
            ? $"'{named[0].Name}' is in several places ({string.Join(", ", named.Select(r => MatchedName(r.Code[..Math.Min(4, r.Code.Length)], regions)).Distinct())}); add the city"
            : $"no point is known for {named[0].Name}");
    }

    /// <summary>
    /// The readings of the last name in the first chain of division names (each inside the one before it); null when
    /// the text names none. Street names later in the text (中山路) are not read as divisions once a chain has ended.
    /// </summary>
    private static List<ChineseRegions.Region>? ChineseChain(string text)
    {
        var regions = ChineseRegions.Instance;
        List<ChineseRegions.Region>? chain = null;
        string? parent = null;
        for (var i = 0; i < text.Length;)
        {
            if (Text.IsCjk(text[i]) && regions.PrefixOf(text.AsSpan(i), 0, parent) is { } name)
            {
                var readings = regions.Find(name).Where(r => r.Code.Length > 0).ToList();
                if (chain is not null)
                {
                    var outer = chain;
                    readings = readings.Where(r => outer.Any(o => r.Code.StartsWith(o.Code, StringComparison.Ordinal))).ToList();
                }

                if (readings.Count > 0)
                {
                    chain = readings;
                }

                parent = name;
                i += name.Length;
                continue;
            }

            if (chain is not null)
            {
                break;
            }

            i++;
        }

        return chain;
    }

    /// <summary>Pinyin names of provinces and cities in a Latin address (Hangzhou, Zhejiang): the finest one.</summary>
    private static List<ChineseRegions.Region>? LatinNames(string text)
    {
        var regions = ChineseRegions.Instance;
        var found = Text.LettersAndDigits(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(regions.LatinNames.Contains)
            .Select(t => regions.Find(t).Where(r => r.Latin == t).ToList())
            .Where(r => r.Count > 0)
            .ToList();
        return found.Count == 0 ? null : found.MaxBy(r => r.Min(x => x.Code.Length));
    }

    private static string CommonPrefix(IEnumerable<string> codes) =>
        codes.Aggregate((a, b) => a[..Enumerable.Range(0, Math.Min(a.Length, b.Length)).TakeWhile(i => a[i] == b[i]).Count()]);

    private static string MatchedName(string code, ChineseRegions regions)
    {
        var names = new List<string>();
        for (var length = 2; length <= code.Length; length += 2)
        {
            if (regions.All.FirstOrDefault(r => r.Code == code[..length]) is { } region)
            {
                names.Add(region.Name);
            }
        }

        return string.Join(" ", names);
    }
}
