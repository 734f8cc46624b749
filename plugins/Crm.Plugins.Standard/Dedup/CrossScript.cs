namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Names written in two scripts: a Chinese name and its pinyin or English rendering (北京明远科技有限公司 ↔ Beijing
/// Mingyuan Technology Co., Ltd.), a Russian name and its transliteration (ООО «Ромашка» ↔ Romashka LLC).
/// </summary>
internal static class CrossScript
{
    /// <summary>English words for Chinese industry words: the rendering must name the same trade.</summary>
    private static readonly (string Hanzi, string[] English)[] Industries =
    [
        ("信息技术", ["information", "technology", "it", "tech"]), ("网络科技", ["network", "technology", "tech"]),
        ("供应链管理", ["supply", "chain"]), ("供应链", ["supply", "chain"]), ("进出口", ["import", "export"]),
        ("新材料", ["new", "material", "materials"]), ("电子商务", ["commerce", "ecommerce"]),
        ("科技", ["technology", "technologies", "tech", "science", "sci", "scitech"]), ("技术", ["technology", "technologies", "tech"]),
        ("贸易", ["trading", "trade", "commerce", "commercial"]), ("商贸", ["trading", "trade", "commerce", "commercial"]),
        ("电子", ["electronics", "electronic"]), ("电器", ["electrical", "electric", "appliances"]), ("机械", ["machinery", "machine", "mechanical"]),
        ("物流", ["logistics"]), ("实业", ["industrial", "industry", "industries", "enterprise", "development"]), ("建设", ["construction"]),
        ("建筑", ["construction", "building"]), ("工程", ["engineering", "construction"]), ("食品", ["food", "foods"]),
        ("医药", ["pharmaceutical", "pharmaceuticals", "pharma", "medicine"]), ("咨询", ["consulting", "consultancy", "consultants"]),
        ("化工", ["chemical", "chemicals"]), ("纺织", ["textile", "textiles"]), ("软件", ["software"]), ("传媒", ["media"]),
        ("环保", ["environmental", "protection"]), ("材料", ["material", "materials"]), ("管理", ["management"]),
        ("汽车", ["auto", "automobile", "automotive"]), ("销售", ["sales"]), ("设备", ["equipment"]), ("投资", ["investment"]),
        ("国际", ["international", "intl"]), ("服务", ["services", "service"]), ("信息", ["information"]), ("网络", ["network"]),
        ("包装", ["packaging"]), ("制造", ["manufacturing", "mfg"]), ("发展", ["development"]), ("文化", ["culture", "cultural"]),
    ];

    public static bool IsChinese(CompanyName name) => Text.HasCjk(name.Core);

    public static bool IsCyrillic(CompanyName name) => Transliteration.HasCyrillic(name.Core);

    /// <summary>True when the Latin name is a rendering of the Chinese one: the brand reads as its pinyin and the trades agree.</summary>
    public static bool Renders(CompanyName chinese, CompanyName latin)
    {
        var brand = latin.Brand;
        return brand.Length >= 4 && brand.All(char.IsAsciiLetter) && Pinyin.Reads(chinese.Brand, brand) && TradesAgree(chinese.Industry, latin.Industry);
    }

    /// <summary>The key a Chinese name's rendering blocks on: the pinyin of its brand (明远 -> mingyuan).</summary>
    public static string? PinyinKey(CompanyName chinese) => chinese.Brand.All(Text.IsCjk) ? Pinyin.Of(chinese.Brand) : null;

    /// <summary>A Cyrillic or Latin name in the spelling skeleton (see <see cref="Transliteration.Skeleton"/>), brand and core alike.</summary>
    public static CompanyName Skeleton(CompanyName name)
    {
        var core = Transliteration.Skeleton(name.Core);
        return new CompanyName(core, Text.WithoutSpaces(core), name.Region) { Industry = name.Industry };
    }

    /// <summary>
    /// The trades agree when some Chinese industry word is rendered in the English name and every English industry
    /// word renders one of them (锦绣建设 is not "Jinxiu Construction Engineering"; 锦绣建筑工程 is). Words either
    /// side does not know are not held against it.
    /// </summary>
    private static bool TradesAgree(string hanzi, string english)
    {
        if (hanzi.Length == 0 || english.Length == 0)
        {
            return true;
        }

        var renderings = new HashSet<string>(StringComparer.Ordinal);
        var rendered = false;
        var words = english.Split(' ').Where(w => w is not ("and" or "of")).ToHashSet(StringComparer.Ordinal);
        foreach (var (word, english2) in Industries)
        {
            if (hanzi.Contains(word, StringComparison.Ordinal))
            {
                renderings.UnionWith(english2);
                rendered |= english2.Any(words.Contains);
            }
        }

        return renderings.Count == 0 || rendered && words.All(renderings.Contains);
    }
}
