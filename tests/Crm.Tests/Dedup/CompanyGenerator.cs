using System.Text;
using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup;

/// <summary>
/// Builds companies as sales teams enter them (Chinese and Latin names, credit codes, mobiles, e-mails, addresses)
/// and disguised copies of them: legal-form and region changes, branch words, full-width text, typos in Latin
/// names, phone formats, e-mail variants. Deterministic for a seed. Shared by the labelled test and the benchmark.
/// </summary>
public sealed class CompanyGenerator(int seed)
{
    private const string CjkChars = "明辉华盛泰安康瑞祥鑫源宏达兴隆永恒金宇星光嘉禾伟业鼎信诚众联创智远航博通凯旋天成正德汇丰佳美和润新元立方锦程中科云帆益海东方红旗长青万豪顺发福禄聚宝盈翔腾飞龙凤麒麟银河星辰宏图";

    private static readonly string[] CjkIndustries = ["贸易", "科技", "电子", "机械", "物流", "实业", "建设", "食品", "医药", "咨询", "化工", "纺织", "软件", "传媒", "环保"];

    private static readonly string[] CjkRegions = ["上海", "北京", "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "天津", "重庆", "青岛", "厦门", "宁波"];

    private static readonly string[] CjkForms = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"];

    private static readonly string[] Syllables =
    [
        "vel", "tron", "ka", "mar", "lin", "dor", "sen", "tek", "ra", "zen", "qua", "bri", "lo", "nex", "ori", "pal", "sta",
        "vio", "mon", "cor", "fal", "gri", "hel", "jun", "kor", "lum", "nor", "pra", "ro", "sil", "tor", "ul", "vor", "wen",
    ];

    private static readonly string[] LatinIndustries = ["Trading", "Technology", "Electronics", "Logistics", "Engineering", "Industrial", "Consulting", "Manufacturing", "Software", "Import Export"];

    private static readonly string[] LatinForms = ["Co., Ltd.", "Company Limited", "LLC", "Inc.", "GmbH", "Ltd", "Corp."];

    private static readonly string[] LatinCities = ["Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou"];

    private static readonly string[] Roads = ["张江", "长宁", "中山", "人民", "解放", "建国", "南京", "淮海", "延安", "世纪", "科苑", "滨江", "朝阳", "和平"];

    private static readonly string[] LatinRoads = ["Zhangjiang", "Century", "Huaihai", "Nanjing West", "Yan'an", "Keyuan", "Binjiang", "Renmin"];

    private readonly Random _random = new(seed);
    private readonly HashSet<string> _brands = [];

    /// <summary>A new company with a brand no earlier company of this generator has.</summary>
    public Company Next()
    {
        var chinese = _random.Next(2) == 0;
        string brand;
        var attempt = 0;
        do
        {
            // Longer brands once short ones run out (large benchmark sets).
            var longer = attempt++ / 10;
            brand = chinese
                ? new string([Pick(CjkChars), Pick(CjkChars)]) + (_random.Next(4) == 0 ? Pick(CjkChars).ToString() : "") + new string(Enumerable.Range(0, longer).Select(_ => Pick(CjkChars)).ToArray())
                : Capital(string.Concat(Enumerable.Range(0, 2 + _random.Next(2) + longer).Select(_ => Pick(Syllables))));
        }
        while (!_brands.Add(brand));

        var industry = chinese ? Pick(CjkIndustries) : Pick(LatinIndustries);
        var city = chinese ? Pick(CjkRegions) : Pick(LatinCities);
        var number = _random.Next(1, 2000);
        var road = chinese ? Pick(Roads) : Pick(LatinRoads);
        return new Company(brand, industry, city, chinese, NewCreditCode(), $"13{_random.Next(0, 10)}{_random.Next(10_000_000, 100_000_000)}",
            $"{(chinese ? "sales" : brand.ToLowerInvariant())}.{_brands.Count}@{(chinese ? "163.com" : "gmail.com")}", road, number);
    }

    /// <summary>The company as first entered: full legal name with region, all keys, address.</summary>
    public CustomerSnapshot Original(Company c, string id) => new()
    {
        Id = id,
        Name = c.Chinese ? "王经理" : "Mr. Li",
        Company = c.Chinese ? $"{c.City}{c.Brand}{c.Industry}{CjkForms[0]}" : $"{c.City} {c.Brand} {c.Industry} {LatinForms[0]}",
        Phone = c.Mobile,
        Email = c.Email,
        TaxId = c.CreditCode,
        Address = Address(c, 0),
    };

    /// <summary>
    /// The same company entered again by someone else: which keys are present and how each is written varies, but
    /// at least one identifying key (credit code, phone, e-mail, or name with or without address) remains.
    /// </summary>
    public CustomerSnapshot Disguise(Company c, string id)
    {
        var mode = _random.Next(6);
        return new CustomerSnapshot
        {
            Id = id,
            Name = c.Chinese ? "王先生" : "Li",
            Company = DisguiseName(c),
            TaxId = mode == 0 ? Spaced(c.CreditCode) : null,
            Phone = mode == 1 ? PhoneVariant(c.Mobile) : null,
            Email = mode == 2 ? EmailVariant(c.Email, c.Chinese) : null,
            Address = mode is 3 or 4 ? Address(c, 1 + _random.Next(3)) : null,
        };
    }

    /// <summary>A company that is not <paramref name="c"/> but looks like it: same brand in another trade, or the same name in another city at another address.</summary>
    public CustomerSnapshot LookAlike(Company c, string id)
    {
        var sameNameOtherCity = _random.Next(2) == 0;
        var other = Next();
        if (sameNameOtherCity)
        {
            var city = c.Chinese ? CjkRegions.First(r => r != c.City) : LatinCities.First(r => r != c.City);
            return new CustomerSnapshot
            {
                Id = id, Name = "张总",
                Company = c.Chinese ? $"{city}{c.Brand}{c.Industry}有限公司" : $"{city} {c.Brand} {c.Industry} Co., Ltd.",
                Address = Address(other with { City = city }, 0), Phone = other.Mobile,
            };
        }

        var industry = c.Chinese ? CjkIndustries.First(i => i != c.Industry) : LatinIndustries.First(i => i != c.Industry);
        return new CustomerSnapshot
        {
            Id = id, Name = "张总",
            Company = c.Chinese ? $"{c.City}{c.Brand}{industry}有限公司" : $"{c.City} {c.Brand} {industry} Ltd.",
            Address = Address(other, 0), Email = other.Email,
        };
    }

    private string DisguiseName(Company c)
    {
        if (c.Chinese)
        {
            var core = c.Brand + c.Industry;
            return _random.Next(7) switch
            {
                0 => $"{c.City}市{core}{Pick(CjkForms)}",
                1 => $"{core}（{c.City}）{Pick(CjkForms)}",
                2 => $"{core}{Pick(CjkForms)}{Pick(CjkRegions)}分公司",
                3 => $"{c.City} {core} 有限公司",
                4 => $"{core}集团",
                5 => FullWidth($"{c.City}{core}有限公司"),
                _ => core,
            };
        }

        var name = $"{c.Brand} {c.Industry}";
        if (_random.Next(3) == 0)
        {
            name = Typo(name);
        }

        return _random.Next(7) switch
        {
            0 => $"{name} {Pick(LatinForms)}",
            1 => $"{name.ToUpperInvariant()} CO.,LTD",
            2 => $"{name} ({c.City}) Co. Ltd.",
            3 => $"{name} {Pick(LatinForms)} {Pick(LatinCities)} Branch",
            4 => FullWidth($"{name} Co., Ltd."),
            5 => $"{c.City} {name}",
            _ => name,
        };
    }

    /// <summary>One edit (substitution, deletion, insertion or swap) inside a word of five letters or more.</summary>
    private string Typo(string name)
    {
        var words = name.Split(' ');
        var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Length >= 5).ToList();
        if (candidates.Count == 0)
        {
            return name;
        }

        var w = candidates[_random.Next(candidates.Count)];
        var word = new StringBuilder(words[w]);
        var at = 1 + _random.Next(word.Length - 2);
        switch (_random.Next(4))
        {
            case 0: word[at] = (char)('a' + _random.Next(26)); break;
            case 1: word.Remove(at, 1); break;
            case 2: word.Insert(at, (char)('a' + _random.Next(26))); break;
            default: (word[at], word[at + 1]) = (word[at + 1], word[at]); break;
        }

        words[w] = word.ToString();
        return string.Join(' ', words);
    }

    private string Address(Company c, int form) => c.Chinese
        ? form switch
        {
            0 => $"{c.City}市浦东新区{c.Road}路{c.Number}号",
            1 => $"{c.Road}路{c.Number}号",
            2 => FullWidth($"{c.City}{c.Road}路{c.Number}号"),
            _ => $"{c.City}市 {c.Road}路 {c.Number}号 3楼",
        }
        : form switch
        {
            0 => $"No. {c.Number} {c.Road} Rd., {c.City}",
            1 => $"{c.Number} {c.Road} Road",
            2 => $"{c.Number}, {c.Road} Rd, {c.City}, China",
            _ => $"Floor 3, No.{c.Number} {c.Road} Road, {c.City}",
        };

    private string PhoneVariant(string mobile) => _random.Next(5) switch
    {
        0 => $"+86 {mobile[..3]} {mobile[3..7]} {mobile[7..]}",
        1 => $"0086-{mobile}",
        2 => $"{mobile[..3]}-{mobile[3..7]}-{mobile[7..]}",
        3 => FullWidth(mobile),
        _ => $"(86) {mobile}",
    };

    private string EmailVariant(string email, bool chinese)
    {
        var at = email.IndexOf('@');
        return chinese || _random.Next(2) == 0
            ? email.ToUpperInvariant()
            : $"{email[..at].Replace(".", "")}+crm@googlemail.com";
    }

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

    private static string Spaced(string code) => $"{code[..6]} {code[6..12]} {code[12..]}".ToLowerInvariant();

    private static string FullWidth(string text) =>
        new(text.Select(ch => ch is >= '!' and <= '~' ? (char)(ch + 0xFEE0) : ch == ' ' ? '\u3000' : ch).ToArray());

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private char Pick(string chars) => chars[_random.Next(chars.Length)];

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}

/// <summary>One generated company: its identity and how it is usually written.</summary>
public sealed record Company(string Brand, string Industry, string City, bool Chinese, string CreditCode, string Mobile, string Email, string Road, int Number);
