namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// The word lists the company-name normalizer strips: legal forms (Chinese, English and other Latin, Russian),
/// region names, branch words, and the industry words that do not tell two companies apart.
/// </summary>
internal static class CompanyWords
{
    /// <summary>Chinese legal forms, longest first: the first one found ends the core name.</summary>
    public static readonly string[] ChineseLegalForms =
    [
        "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "股份合作公司", "有限公司",
        "责任公司", "有限合伙", "普通合伙", "合伙企业", "个人独资企业", "集团公司", "总公司", "分公司", "公司", "集团",
    ];

    /// <summary>Latin legal-form tokens (after punctuation is removed: "co., ltd." is the tokens co and ltd).</summary>
    public static readonly HashSet<string> LatinLegalTokens =
    [
        "co", "ltd", "limited", "company", "corp", "corporation", "inc", "incorporated", "llc", "llp", "lp", "plc",
        "gmbh", "mbh", "ag", "kg", "ohg", "ug", "se", "sa", "sas", "sarl", "srl", "spa", "sl", "bv", "nv", "oy", "ab",
        "as", "asa", "aps", "pty", "pte", "kk", "bhd", "sdn", "group", "holding", "holdings", "the", "jsc", "pjsc", "cjsc",
        "ojsc", "stock", "ooo", "zao", "oao", "pao", "ao", "nko",
    ];

    /// <summary>Russian legal forms: abbreviations as tokens and the spelled-out forms as phrases.</summary>
    public static readonly HashSet<string> RussianLegalTokens =
    [
        "ооо", "оао", "зао", "пао", "ао", "нао", "ип", "нко", "гк", "ук", "тоо", "одо", "чп", "пт",
    ];

    public static readonly string[] RussianLegalPhrases =
    [
        "общество с ограниченной ответственностью", "публичное акционерное общество", "закрытое акционерное общество",
        "открытое акционерное общество", "непубличное акционерное общество", "акционерное общество",
        "индивидуальный предприниматель", "группа компаний", "торговый дом",
    ];

    /// <summary>Branch and office words: a branch is the same company for dedup.</summary>
    public static readonly string[] ChineseBranchWords = ["分公司", "办事处", "营业部", "分部", "分店", "分厂", "分行", "支行", "代表处", "分中心"];

    public static readonly HashSet<string> LatinBranchTokens = ["branch", "office", "representative", "rep", "filial", "филиал", "представительство", "отделение"];

    /// <summary>
    /// Districts so well known that people write them without their city (浦东 for 上海市浦东新区); other districts'
    /// short forms count as regions only after their city (see <see cref="ChineseRegions.PrefixOf"/>).
    /// </summary>
    public static readonly HashSet<string> WellKnownDistricts = ["浦东", "海淀", "南山", "福田", "宝安", "龙岗", "滨海", "闵行", "徐汇", "静安", "朝阳"];

    /// <summary>Well-known trade names that begin with a region's short form (阿里 is a prefecture in Tibet).</summary>
    public static readonly string[] NamesStartingWithRegions = ["阿里巴巴", "黄山松", "大理石"];

    public static readonly string[] ChineseRegionSuffixes = ["特别行政区", "自治区", "省", "市", "区", "县"];

    /// <summary>A Latin region word: a country, a foreign city, or the pinyin of a Chinese province or prefecture (quzhou).</summary>
    public static bool IsLatinRegion(string token) => LatinRegionTokens.Contains(token) || ChineseRegions.Instance.LatinNames.Contains(token);

    public static readonly HashSet<string> LatinRegionTokens =
    [
        "china", "prc", "beijing", "shanghai", "shenzhen", "guangzhou", "hangzhou", "tianjin", "chongqing", "nanjing",
        "suzhou", "chengdu", "wuhan", "xiamen", "qingdao", "ningbo", "dalian", "dongguan", "foshan", "hongkong", "hk",
        "macau", "guangdong", "zhejiang", "jiangsu", "shandong", "fujian", "moscow", "москва", "московский", "петербург",
        "россия", "russia", "rus", "germany", "deutschland", "usa", "us", "uk", "europe", "asia", "pacific", "международный",
        "санкт", "новосибирск", "екатеринбург", "казань", "нижний", "новгород", "челябинск", "самара", "омск", "ростов", "уфа",
        "красноярск", "воронеж", "пермь", "волгоград", "краснодар", "саратов", "тюмень", "владивосток", "иркутск", "хабаровск",
        "saint", "petersburg", "novosibirsk", "yekaterinburg", "ekaterinburg", "kazan", "samara", "omsk", "ufa", "krasnoyarsk",
        "voronezh", "perm", "volgograd", "krasnodar", "saratov", "tyumen", "vladivostok", "irkutsk", "khabarovsk", "chelyabinsk",
    ];

    /// <summary>Industry words: kept in the core name, ignored in the brand that blocks candidates.</summary>
    public static readonly string[] ChineseIndustryWords =
    [
        "信息技术", "网络科技", "电子商务", "供应链管理", "供应链", "进出口", "新材料", "房地产", "科技", "技术", "贸易", "商贸",
        "实业", "电子", "电器", "机械", "设备", "工程", "建设", "建筑", "咨询", "管理", "投资", "发展", "文化", "传媒", "广告",
        "物流", "食品", "医药", "生物", "化工", "材料", "能源", "环保", "服务", "软件", "智能", "教育", "装饰", "设计", "制造",
        "国际", "企业", "控股", "网络", "信息", "数据", "汽车", "销售", "置业", "餐饮", "酒店", "纺织", "服饰", "印刷", "包装", "塑料",
        "五金", "家具", "农业", "健康", "医疗", "器械", "仪器", "光电", "通信", "自动化", "精密", "模具",
    ];

    /// <summary>Abbreviations and inflections of industry words, to the one spelling names are compared in.</summary>
    public static readonly Dictionary<string, string> IndustrySynonyms = new()
    {
        ["tech"] = "technology", ["technologies"] = "technology", ["intl"] = "international", ["mfg"] = "manufacturing",
        ["eng"] = "engineering", ["electronic"] = "electronics", ["consultants"] = "consulting", ["consultancy"] = "consulting",
        ["trade"] = "trading", ["industries"] = "industrial", ["industry"] = "industrial", ["services"] = "service",
        ["systems"] = "system", ["solutions"] = "solution", ["foods"] = "food", ["chemicals"] = "chemical", ["textiles"] = "textile",
        ["materials"] = "material", ["pharmaceuticals"] = "pharmaceutical", ["pharma"] = "pharmaceutical", ["enterprises"] = "enterprise",
    };

    public static readonly HashSet<string> LatinIndustryTokens =
    [
        "trading", "trade", "technology", "technologies", "tech", "industrial", "industries", "industry", "international",
        "intl", "global", "electronics", "electronic", "engineering", "consulting", "services", "service", "solutions",
        "systems", "logistics", "import", "export", "manufacturing", "software", "media", "investment", "development",
        "enterprises", "enterprise", "and", "of", "science", "sci", "machinery", "construction", "food", "foods", "pharmaceutical",
        "pharmaceuticals", "pharma", "chemical", "chemicals", "textile", "textiles", "environmental", "protection", "information",
        "material", "materials", "supply", "chain", "management", "auto", "sales", "packaging", "commerce", "commercial", "equipment",
        "network", "digital", "it", "mfg", "eng", "consultants", "consultancy", "solution", "system", "products", "new",
        "материалы", "технологии", "сервис", "трейд", "торг", "строй",
    ];
}
