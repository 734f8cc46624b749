namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// China's administrative divisions (Data/regions.tsv): provinces, prefecture-level cities and counties/districts,
/// each under its full name (衢州市) and its short form (衢州), with GB/T 2260 codes, so that two region names can be
/// told apart from one inside the other (衢州 lies in 浙江; 朝阳 names a city in Liaoning and districts elsewhere).
/// </summary>
internal sealed class ChineseRegions
{
    private static readonly Lazy<ChineseRegions> Loaded = new(() => new ChineseRegions(DataFiles.Lines("regions.tsv")));

    private readonly Dictionary<string, List<Region>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Region>>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private ChineseRegions(IEnumerable<string> lines)
    {
        var all = new List<Region>();
        foreach (var line in lines)
        {
            var cells = line.Split('\t');
            var region = new Region(cells[0], cells[1], cells[2].Length > 0 ? cells[2] : null, cells[3].Length > 0 ? cells[3] : null);
            all.Add(region);
            Add(region.Name, region);
            if (region.Short is { } shortForm)
            {
                Add(shortForm, region);
            }

            if (region.Latin is { } latin)
            {
                LatinNames.Add(latin);
                Add(latin, region); // Quzhou and 衢州 are one place
            }
        }

        // The country: compatible with every region (its code is a prefix of all codes).
        Add("中国", new Region("", "中国", null, null));
        All = all;
        MaxLength = _byName.Keys.Max(k => k.Length);
        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static ChineseRegions Instance => Loaded.Value;

    public IReadOnlyList<Region> All { get; }

    /// <summary>Pinyin of the provinces' and prefecture-level cities' short forms (quzhou, huaian, shaanxi).</summary>
    public HashSet<string> LatinNames { get; } = new(StringComparer.Ordinal);

    public int MaxLength { get; }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public IReadOnlyList<Region> Find(string name) => _byName.GetValueOrDefault(name) ?? [];

    /// <summary>
    /// The longest region name at the start of <paramref name="text"/> that leaves at least <paramref name="rest"/>
    /// characters. A county's short form (西湖 for 西湖区) counts only after its own city (杭州西湖) or when the county is
    /// a county-level city (义乌): alone, such short forms are too often ordinary words of a name (宏伟, 新华).
    /// </summary>
    public string? PrefixOf(ReadOnlySpan<char> text, int rest, string? parent)
    {
        for (var length = Math.Min(MaxLength, text.Length - rest); length >= 2; length--)
        {
            if (_bySpan.TryGetValue(text[..length], out var regions) && regions.Any(r => Accepts(r, length, parent)) && !StartsWithKnownName(text))
            {
                return text[..length].ToString();
            }
        }

        return null;
    }

    /// <summary>The region name that ends <paramref name="text"/> (same rules as <see cref="PrefixOf"/>, without a parent).</summary>
    public string? SuffixOf(ReadOnlySpan<char> text, int rest)
    {
        for (var length = Math.Min(MaxLength, text.Length - rest); length >= 2; length--)
        {
            if (_bySpan.TryGetValue(text[^length..], out var regions) && regions.Any(r => Accepts(r, length, null)))
            {
                return text[^length..].ToString();
            }
        }

        return null;
    }

    /// <summary>
    /// True when the two names can be the same place: one lies inside the other (浙江, 衢州, 柯城区) or they share a
    /// division. Unknown names (中国, a foreign city) are compatible with everything.
    /// </summary>
    public bool Compatible(string a, string b)
    {
        if (a == b || !_byName.TryGetValue(a, out var x) || !_byName.TryGetValue(b, out var y))
        {
            return true;
        }

        return x.Any(r => y.Any(s => r.Code.StartsWith(s.Code, StringComparison.Ordinal) || s.Code.StartsWith(r.Code, StringComparison.Ordinal)));
    }

    private static bool StartsWithKnownName(ReadOnlySpan<char> text)
    {
        foreach (var name in CompanyWords.NamesStartingWithRegions)
        {
            if (text.StartsWith(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Accepts(Region region, int length, string? parent)
    {
        // After a region, only a place inside it (浙江衢州, 杭州西湖): 沈阳东方红 is 东方红 in 沈阳, not 东方 in Hainan.
        if (parent is not null)
        {
            return Instance.Find(parent).Any(p => region.Code.StartsWith(p.Code, StringComparison.Ordinal));
        }

        return region.Level < 3 || length == region.Name.Length || region.Name.EndsWith('市') || CompanyWords.WellKnownDistricts.Contains(region.Short ?? "");
    }

    private void Add(string name, Region region)
    {
        // Names are looked up in folded text, where 乾安 reads 干安.
        name = string.Concat(name.Select(TraditionalChinese.ToSimplified));
        if (!_byName.TryGetValue(name, out var list))
        {
            _byName[name] = list = new List<Region>(1);
        }

        list.Add(region);
    }

    /// <param name="Code">GB/T 2260 code: 2 digits for a province, 4 for a prefecture, 6 for a county or district.</param>
    /// <param name="Latin">Pinyin of the short form (provinces and prefectures only).</param>
    public sealed record Region(string Code, string Name, string? Short, string? Latin)
    {
        public int Level => Code.Length / 2;
    }
}
