using System.Text;
using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup.Evaluation;

/// <summary>Which half of the real-name evaluation: the one the normalizer was tuned on, or the one kept out of tuning.</summary>
public enum EvaluationPart
{
    Tuning,
    HeldOut,
}

/// <summary>
/// A labelled evaluation set built from real names: every prefecture-level city of China and its districts and
/// counties (the division data), hand-written Chinese trade names with the romanizations companies print, English and
/// Russian trade names, and the ways people re-type them (region with or without 市, in brackets after the core,
/// dropped, province or district instead of city; other legal forms, branches, traditional characters, pinyin or
/// English renderings, full-width phones, one-letter typos and abbreviations, Russian quotes and transliterations,
/// tax ids with labels and spaces). Negatives are hard: same city, same industry and legal form, another trade name
/// (often sharing a character or a stem), or the same name in another city at another address.
/// </summary>
/// <remarks>
/// The trade names and prefecture cities are shuffled with a fixed seed (2026) and dealt alternately into the two
/// parts, so the held-out part uses names and cities the tuning part never shows; each part then draws with its own
/// seed (tuning 101, held-out 202).
/// </remarks>
public sealed class RealWorldSet
{
    private readonly Random _random;
    private readonly List<(string Hanzi, string Latin)> _chineseBrands;
    private readonly List<string> _englishBrands;
    private readonly List<(string Cyrillic, string[] Latin)> _russianBrands;
    private readonly List<ChineseRegions.Region> _cities;
    private readonly HashSet<string> _usedNames = [];
    private int _serial;

    private RealWorldSet(EvaluationPart part)
    {
        var deal = new Random(2026);
        var take = part == EvaluationPart.Tuning ? 0 : 1;
        List<T> Half<T>(IEnumerable<T> items) => items.OrderBy(_ => deal.Next()).Where((_, i) => i % 2 == take).ToList();
        _chineseBrands = Half(RealNames.ChineseBrands);
        _englishBrands = Half(RealNames.EnglishBrands);
        _russianBrands = Half(RealNames.RussianBrands);
        _cities = Half(ChineseRegions.Instance.All.Where(r => r.Level == 2 && r.Name.EndsWith('市')).OrderBy(r => r.Code, StringComparer.Ordinal));
        _random = new Random(part == EvaluationPart.Tuning ? 101 : 202);
    }

    public List<CustomerSnapshot> Existing { get; } = [];

    public List<LabelledLead> Leads { get; } = [];

    /// <summary>Builds one part: <paramref name="companies"/> existing companies (half Chinese, 3/8 English, 1/8 Russian), one re-entry and one negative each.</summary>
    public static RealWorldSet Build(EvaluationPart part, int companies)
    {
        var set = new RealWorldSet(part);
        for (var i = 0; i < companies; i++)
        {
            var kind = i % 8;
            if (kind < 4)
            {
                set.AddChinese();
            }
            else if (kind < 7)
            {
                set.AddEnglish();
            }
            else
            {
                set.AddRussian();
            }
        }

        return set;
    }

    private void AddChinese()
    {
        var c = NewChinese()!;
        var existing = Snapshot(c.Id, "王经理", c.FullName, c.Mobile, c.Email, c.CreditCode, c.Address);
        Existing.Add(existing);

        var (name, kind) = DisguiseChinese(c);
        var keep = _random.Next(10);
        Leads.Add(new LabelledLead(Snapshot(Next("D"), "李先生", name,
            keep == 0 ? ChinesePhone(c.Mobile) : null,
            keep == 1 ? c.Email.ToUpperInvariant() : null,
            keep == 2 ? Spaced(c.CreditCode) : null,
            keep is 3 or 4 ? ChineseAddress(c, _random.Next(4)) : null), c.Id, kind));

        if (_random.Next(8) == 0)
        {
            // Same name in another city, each at its own address: another company.
            var other = _cities.Where(x => x.Code[..2] != c.City.Code[..2]).ElementAt(_random.Next(20));
            var address = $"{other.Name}{Pick(RealNames.ChineseRoads)}{_random.Next(1, 999)}号";
            Leads.Add(new LabelledLead(Snapshot(Next("N"), "张总", $"{other.Name}{c.Brand.Hanzi}{c.Industry.Hanzi}{c.Form}", NewMobile(), null, null, address), null, "zh-same-name-other-city"));
            return;
        }

        // Same city, industry and legal form, another trade name (often sharing a character with this one).
        if (NewChinese(c.City, c.Industry, c.Form, sharing: _random.Next(2) == 0 ? c.Brand.Hanzi : null) is not { } rival)
        {
            return;
        }

        Leads.Add(new LabelledLead(Snapshot(Next("N"), "张总", rival.FullName, rival.Mobile, null, null,
            _random.Next(2) == 0 ? $"{c.City.Name}{c.Road}{_random.Next(1, 999)}号" : null), null, "zh-hard-negative"));
    }

    private ChineseCompany? NewChinese(ChineseRegions.Region? city = null, (string Hanzi, string[] English)? industry = null, string? form = null, string? sharing = null)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var brand = Pick(_chineseBrands);
            if (sharing is not null && attempt < 30)
            {
                var sharers = _chineseBrands.Where(b => b.Hanzi != sharing && b.Hanzi.Intersect(sharing).Any()).ToList();
                brand = sharers.Count > 0 ? sharers[_random.Next(sharers.Count)] : Pick(_chineseBrands);
            }

            var ind = industry ?? Pick(RealNames.ChineseIndustries);
            if (!_usedNames.Add($"zh:{brand.Hanzi}{ind.Hanzi}"))
            {
                continue;
            }

            var at = city ?? Pick(_cities);
            var districts = ChineseRegions.Instance.All.Where(r => r.Level == 3 && r.Code.StartsWith(at.Code, StringComparison.Ordinal)).ToList();
            var province = ChineseRegions.Instance.All.First(r => r.Code == at.Code[..2]);
            return new ChineseCompany(Next("E"), brand, ind, form ?? Pick(RealNames.ChineseForms), at, province,
                districts.Count > 0 ? districts[_random.Next(districts.Count)] : at, NewMobile(), $"sales{_serial}@{Pick(["163.com", "qq.com", "126.com", "sina.com"])}",
                NewCreditCode(), Pick(RealNames.ChineseRoads), _random.Next(1, 999));
        }

        return null;
    }

    private (string Name, string Kind) DisguiseChinese(ChineseCompany c)
    {
        var core = c.Brand.Hanzi + c.Industry.Hanzi;
        var city = c.City.Name;
        var shortCity = city[..^1];
        var province = c.Province.Name;
        var form = _random.Next(5) == 0 ? Pick(["有限公司", "有限责任公司", "公司", "", "股份有限公司"]) : c.Form;
        var (name, kind) = _random.Next(14) switch
        {
            0 => ($"{shortCity}{core}{form}", "zh-region-without-suffix"),
            1 => ($"{core}{form}", "zh-region-dropped"),
            2 => ($"{core}（{shortCity}）{form}", "zh-region-bracket-fullwidth"),
            3 => ($"{core}({Pick([city, shortCity])}){form}", "zh-region-bracket-ascii"),
            4 => ($"{Pick([province, c.Province.Short ?? province])}{core}{form}", "zh-province-instead-of-city"),
            5 => ($"{city}{c.District.Name}{core}{form}", "zh-city-and-district"),
            6 => ($"{province}{city}{core}{form}", "zh-province-and-city"),
            7 => ($"{core}{c.Form}{Pick(_cities).Name[..^1]}分公司", "zh-branch"),
            8 => ($"{shortCity} {core} {form}", "zh-spaces"),
            9 => (ToTraditional($"{Pick([city, shortCity, ""])}{core}{form}"), "zh-traditional"),
            10 => (EnglishRendering(c), "zh-english-rendering"),
            11 => ($"{Pick([city, shortCity])}{core}{form}", "zh-legal-form"),
            12 => ($"{c.District.Name}{core}{form}", "zh-district-only"),
            _ => ($"{core}", "zh-core-only"),
        };
        if (form.Length == 0 && kind is not ("zh-english-rendering" or "zh-core-only" or "zh-branch"))
        {
            kind = "zh-legal-form";
        }

        return (name, kind);
    }

    /// <summary>How a Chinese company writes itself in English: pinyin trade name, English industry, an English legal form, the city in pinyin or not.</summary>
    private string EnglishRendering(ChineseCompany c)
    {
        var city = PinyinCities.GetValueOrDefault(c.City.Name[..^1]);
        var industry = Pick(c.Industry.English);
        var form = c.Form == "股份有限公司" ? Pick(["Co., Ltd.", "Corporation", "Stock Co., Ltd."]) : Pick(["Co., Ltd.", "Company Limited", "Co.,Ltd", "Ltd."]);
        return city is null || _random.Next(3) == 0
            ? $"{c.Brand.Latin} {industry} {form}"
            : _random.Next(2) == 0 ? $"{city} {c.Brand.Latin} {industry} {form}" : $"{c.Brand.Latin} {industry} ({city}) {form}";
    }

    private void AddEnglish()
    {
        var e = NewEnglish()!;
        Existing.Add(Snapshot(e.Id, "Mr. Li", e.FullName, e.Mobile, e.Email, null, e.Address));
        var name = $"{e.Brand} {e.Industry}";
        string kind;
        switch (_random.Next(7))
        {
            case 0:
            case 1:
            case 2:
                name = Typo(e.City is null ? $"{name} {e.Form}" : $"{e.City} {name} {e.Form}");
                kind = "en-typo";
                break;
            case 3:
                name = $"{Abbreviate(name)} {Pick(RealNames.EnglishForms.First(f => f.Contains(e.Form)))}";
                kind = "en-abbreviation";
                break;
            case 4:
                name = e.City is null ? $"{name} {e.Form}".ToUpperInvariant() : Pick([$"{name} ({e.City}) {e.Form}", $"{name} {e.Form}", $"{name} {e.Form} {e.City} Branch"]);
                kind = "en-region";
                break;
            case 5:
                name = FullWidth($"{name} {e.Form}");
                kind = "en-fullwidth";
                break;
            default:
                name = Typo($"{Abbreviate(name)} {e.Form}");
                kind = "en-typo-and-abbreviation";
                break;
        }

        var keep = _random.Next(10);
        Leads.Add(new LabelledLead(Snapshot(Next("D"), "Li", name, keep == 0 ? $"+86 {e.Mobile[..3]} {e.Mobile[3..7]} {e.Mobile[7..]}" : null,
            keep == 1 ? e.Email.ToUpperInvariant() : null, null, keep is 2 or 3 ? e.Address.Replace("Road", "Rd.", StringComparison.Ordinal) : null), e.Id, kind));

        if (NewEnglish(e.City ?? "", e.Industry, e.Form, stemOf: e.Brand) is not { } rival)
        {
            return;
        }

        Leads.Add(new LabelledLead(Snapshot(Next("N"), "Smith", rival.FullName, rival.Mobile, null, null, null), null, "en-hard-negative"));
    }

    private EnglishCompany? NewEnglish(string? city = null, string? industry = null, string? form = null, string? stemOf = null)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var brand = Pick(_englishBrands);
            if (stemOf is not null && attempt < 20)
            {
                var sharers = _englishBrands.Where(b => b != stemOf && b[..4] == stemOf[..4]).ToList();
                if (sharers.Count > 0)
                {
                    brand = sharers[_random.Next(sharers.Count)];
                }
            }

            var ind = industry ?? Pick(RealNames.EnglishIndustries);
            if (!_usedNames.Add($"en:{brand} {ind}"))
            {
                continue;
            }

            // "" is no city, as the company it rivals has none.
            var at = city is "" ? null : city ?? (_random.Next(2) == 0 ? Pick(PinyinCities.Values.ToArray()) : null);
            var mobile = NewMobile();
            return new EnglishCompany(Next("E"), brand, ind, form ?? Pick(RealNames.EnglishForms)[0], at, mobile,
                $"{brand.ToLowerInvariant()}{_serial}@{Pick(["gmail.com", "outlook.com", "yahoo.com"])}",
                $"No. {_random.Next(1, 999)} {Pick(RealNames.LatinRoads)}, {at ?? "Shanghai"}");
        }

        return null;
    }

    private void AddRussian()
    {
        if (NewRussian() is not { } r)
        {
            return;
        }

        Existing.Add(Snapshot(r.Id, "Иван Петров", r.FullName, r.Phone, null, r.Inn, r.Address));
        var latin = Pick(r.Brand.Latin) + (r.Suffix.Latin.Length > 0 ? $" {r.Suffix.Latin}" : "");
        var cyrillic = r.Brand.Cyrillic + (r.Suffix.Cyrillic.Length > 0 ? $"-{r.Suffix.Cyrillic}" : "");
        var (name, kind) = _random.Next(8) switch
        {
            0 => ($"{r.Form.Short} \"{cyrillic}\"", "ru-quotes"),
            1 => ($"{r.Form.Long} «{cyrillic}»", "ru-long-form"),
            2 => ($"{latin} {Pick(r.Form.Latin)}", "ru-transliteration"),
            3 => ($"{Pick(r.Form.Latin)} \"{latin}\"", "ru-transliteration"),
            4 => ($"{r.Form.Short} «{Typo(cyrillic)}»", "ru-typo"),
            5 => ($"{Typo(latin)} {r.Form.Latin[0]}", "ru-transliteration-typo"),
            6 => ($"{r.Form.Short.ToLowerInvariant()} {cyrillic.ToLowerInvariant()}", "ru-lower-case"),
            _ => ($"{r.Form.Short} «{cyrillic}» {r.City.Cyrillic}", "ru-city"),
        };
        var keep = _random.Next(10);
        string? inn = keep switch
        {
            0 => $"ИНН {r.Inn}",
            1 => $"{r.Inn[..4]} {r.Inn[4..]}",
            _ => null,
        };
        Leads.Add(new LabelledLead(Snapshot(Next("D"), "Петров", name, keep == 2 ? $"8 ({r.Phone[2..5]}) {r.Phone[5..8]}-{r.Phone[8..10]}-{r.Phone[10..]}" : null,
            null, inn, null), r.Id, kind));

        if (NewRussian(r.Form, r.City) is not { } rival)
        {
            return;
        }

        Leads.Add(new LabelledLead(Snapshot(Next("N"), "Сидоров", rival.FullName, rival.Phone, null, rival.Inn, null), null, "ru-hard-negative"));
    }

    private RussianCompany? NewRussian((string Short, string Long, string[] Latin)? form = null, (string Cyrillic, string Latin)? city = null)
    {
        (string Cyrillic, string Latin)[] suffixes =
            [("", ""), ("", ""), ("Плюс", "Plus"), ("Сервис", "Servis"), ("Трейд", "Treyd"), ("Инвест", "Invest"), ("Групп", "Grupp"), ("Урал", "Ural"), ("Дон", "Don"),
             ("Центр", "Tsentr"), ("Холдинг", "Kholding"), ("Снаб", "Snab"), ("Торг", "Torg")];
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var brand = Pick(_russianBrands);
            var suffix = suffixes[_random.Next(suffixes.Length)];
            if (!_usedNames.Add($"ru:{brand.Cyrillic}{suffix.Cyrillic}"))
            {
                continue;
            }

            var f = form ?? RealNames.RussianForms[_random.Next(RealNames.RussianForms.Length)];
            var at = city ?? RealNames.RussianCities[_random.Next(RealNames.RussianCities.Length)];
            return new RussianCompany(Next("E"), brand, suffix, f, at, Inn10(), $"+79{_random.Next(10, 99)}{_random.Next(1_000_000, 10_000_000)}",
                $"г. {at.Cyrillic}, {Pick(RealNames.RussianStreets)}, д. {_random.Next(1, 150)}");
        }

        return null;
    }

    private string Typo(string name)
    {
        var words = name.Split(' ');
        var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Count(char.IsLetter) >= 5 && words[i].All(char.IsLetter)).ToList();
        if (candidates.Count == 0)
        {
            return name;
        }

        var w = candidates[_random.Next(candidates.Count)];
        var word = new StringBuilder(words[w]);
        var at = 1 + _random.Next(word.Length - 2);
        var cyrillic = word.ToString().Any(c => c is >= 'а' and <= 'я' or >= 'А' and <= 'Я');
        char Letter() => cyrillic ? (char)('а' + _random.Next(32)) : (char)('a' + _random.Next(26));
        switch (_random.Next(4))
        {
            case 0: word[at] = Letter(); break;
            case 1: word.Remove(at, 1); break;
            case 2: word.Insert(at, Letter()); break;
            default: (word[at], word[at + 1]) = (word[at + 1], word[at]); break;
        }

        words[w] = word.ToString();
        return string.Join(' ', words);
    }

    private string Abbreviate(string name) =>
        string.Join(' ', name.Split(' ').Select(w => RealNames.EnglishAbbreviations.TryGetValue(w, out var a) && _random.Next(3) > 0 ? a : w));

    private string ChineseAddress(ChineseCompany c, int form) => form switch
    {
        0 => $"{c.Road}{c.Number}号",
        1 => $"{c.City.Name[..^1]}{c.District.Name}{c.Road}{c.Number}号",
        2 => FullWidth($"{c.Road}{c.Number}号3楼"),
        _ => $"{c.Province.Name}{c.City.Name}{c.Road}{c.Number}号",
    };

    private string ChinesePhone(string mobile) => _random.Next(4) switch
    {
        0 => FullWidth(mobile),
        1 => FullWidth($"{mobile[..3]}-{mobile[3..7]}-{mobile[7..]}"),
        2 => $"+86 {mobile[..3]} {mobile[3..7]} {mobile[7..]}",
        _ => $"（86）{FullWidth(mobile)}",
    };

    private string ToTraditional(string text) => new(text.Select(ch => RealNames.Traditional.GetValueOrDefault(ch, ch)).ToArray());

    private string NewMobile() => $"1{Pick(["38", "39", "50", "58", "86", "88"])}{_random.Next(10_000_000, 100_000_000)}";

    private string NewCreditCode()
    {
        var first = new char[17];
        first[0] = '9';
        first[1] = '1';
        for (var i = 2; i < 17; i++)
        {
            first[i] = CreditCode.Alphabet[_random.Next(i is >= 8 and < 16 ? CreditCode.Alphabet.Length : 10)];
        }

        return new string(first) + CreditCode.CheckCharacter(first);
    }

    /// <summary>A Russian organisation's INN: ten digits, the last a check digit (weights 2 4 10 3 5 9 4 6 8, mod 11 mod 10).</summary>
    private string Inn10()
    {
        int[] weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
        var digits = Enumerable.Range(0, 9).Select(i => i < 2 ? 7 : _random.Next(10)).ToArray();
        var check = digits.Select((d, i) => d * weights[i]).Sum() % 11 % 10;
        return string.Concat(digits) + check;
    }

    private string Next(string prefix) => $"{prefix}{++_serial}";

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static string Spaced(string code) => $"{code[..6]} {code[6..12]} {code[12..]}".ToLowerInvariant();

    private static string FullWidth(string text) =>
        new(text.Select(ch => ch is >= '!' and <= '~' ? (char)(ch + 0xFEE0) : ch == ' ' ? '\u3000' : ch).ToArray());

    private static CustomerSnapshot Snapshot(string id, string name, string? company, string? phone, string? email, string? taxId, string? address) => new()
    {
        Id = id, Name = name, Company = company, Phone = phone, Email = email, TaxId = taxId, Address = address,
    };

    /// <summary>Pinyin of prefecture cities as they are written in English (hand-written; most cities are not here, and their English names carry no city).</summary>
    private static readonly Dictionary<string, string> PinyinCities = new()
    {
        ["杭州"] = "Hangzhou", ["宁波"] = "Ningbo", ["温州"] = "Wenzhou", ["衢州"] = "Quzhou", ["绍兴"] = "Shaoxing", ["嘉兴"] = "Jiaxing",
        ["苏州"] = "Suzhou", ["无锡"] = "Wuxi", ["常州"] = "Changzhou", ["南通"] = "Nantong", ["淮安"] = "Huai'an", ["扬州"] = "Yangzhou",
        ["广州"] = "Guangzhou", ["深圳"] = "Shenzhen", ["东莞"] = "Dongguan", ["佛山"] = "Foshan", ["珠海"] = "Zhuhai", ["厦门"] = "Xiamen",
        ["青岛"] = "Qingdao", ["济南"] = "Jinan", ["烟台"] = "Yantai", ["成都"] = "Chengdu", ["绵阳"] = "Mianyang", ["武汉"] = "Wuhan",
        ["长沙"] = "Changsha", ["郑州"] = "Zhengzhou", ["西安"] = "Xi'an", ["合肥"] = "Hefei", ["南京"] = "Nanjing", ["大连"] = "Dalian",
        ["沈阳"] = "Shenyang", ["昆明"] = "Kunming", ["南宁"] = "Nanning", ["福州"] = "Fuzhou", ["泉州"] = "Quanzhou", ["台州"] = "Taizhou",
    };

    private sealed record ChineseCompany(string Id, (string Hanzi, string Latin) Brand, (string Hanzi, string[] English) Industry, string Form,
        ChineseRegions.Region City, ChineseRegions.Region Province, ChineseRegions.Region District, string Mobile, string Email, string CreditCode, string Road, int Number)
    {
        public string FullName => $"{City.Name}{Brand.Hanzi}{Industry.Hanzi}{Form}";

        public string Address => $"{Province.Name}{City.Name}{District.Name}{Road}{Number}号";
    }

    private sealed record EnglishCompany(string Id, string Brand, string Industry, string Form, string? City, string Mobile, string Email, string Address)
    {
        public string FullName => City is null ? $"{Brand} {Industry} {Form}" : $"{City} {Brand} {Industry} {Form}";
    }

    private sealed record RussianCompany(string Id, (string Cyrillic, string[] Latin) Brand, (string Cyrillic, string Latin) Suffix,
        (string Short, string Long, string[] Latin) Form, (string Cyrillic, string Latin) City, string Inn, string Phone, string Address)
    {
        public string FullName => $"{Form.Short} «{Brand.Cyrillic}{(Suffix.Cyrillic.Length > 0 ? "-" + Suffix.Cyrillic : "")}»";
    }
}

/// <summary>A lead to check and the existing customer it duplicates (null for a negative), with the kind of case.</summary>
public sealed record LabelledLead(CustomerSnapshot Lead, string? DuplicateOf, string Kind);
