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

    /// <summary>Provinces, municipalities and large cities, with the administrative suffixes people add or drop.</summary>
    public static readonly string[] ChineseRegions =
    [
        "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
        "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
        "宁夏", "新疆", "香港", "澳门", "中国", "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "西安", "长沙", "郑州",
        "青岛", "宁波", "厦门", "大连", "沈阳", "济南", "合肥", "福州", "昆明", "无锡", "东莞", "佛山", "珠海", "温州", "常州",
        "南昌", "南宁", "贵阳", "太原", "石家庄", "哈尔滨", "长春", "兰州", "乌鲁木齐", "呼和浩特", "海口", "三亚", "烟台", "潍坊",
        "泉州", "绍兴", "嘉兴", "金华", "台州", "徐州", "南通", "扬州", "中山", "惠州", "江门", "汕头", "义乌", "昆山", "浦东",
        "海淀", "朝阳", "南山", "福田", "宝安", "龙岗", "滨海", "闵行", "徐汇", "静安",
    ];

    public static readonly string[] ChineseRegionSuffixes = ["特别行政区", "自治区", "省", "市", "区", "县"];

    public static readonly HashSet<string> LatinRegionTokens =
    [
        "china", "prc", "beijing", "shanghai", "shenzhen", "guangzhou", "hangzhou", "tianjin", "chongqing", "nanjing",
        "suzhou", "chengdu", "wuhan", "xiamen", "qingdao", "ningbo", "dalian", "dongguan", "foshan", "hongkong", "hk",
        "macau", "guangdong", "zhejiang", "jiangsu", "shandong", "fujian", "moscow", "москва", "московский", "петербург",
        "россия", "russia", "rus", "germany", "deutschland", "usa", "us", "uk", "europe", "asia", "pacific", "международный",
    ];

    /// <summary>Industry words: kept in the core name, ignored in the brand that blocks candidates.</summary>
    public static readonly string[] ChineseIndustryWords =
    [
        "信息技术", "网络科技", "电子商务", "供应链管理", "供应链", "进出口", "新材料", "房地产", "科技", "技术", "贸易", "商贸",
        "实业", "电子", "电器", "机械", "设备", "工程", "建设", "建筑", "咨询", "管理", "投资", "发展", "文化", "传媒", "广告",
        "物流", "食品", "医药", "生物", "化工", "材料", "能源", "环保", "服务", "软件", "智能", "教育", "装饰", "设计", "制造",
        "国际", "企业", "控股", "网络", "信息", "数据", "汽车", "置业", "餐饮", "酒店", "纺织", "服饰", "印刷", "包装", "塑料",
        "五金", "家具", "农业", "健康", "医疗", "器械", "仪器", "光电", "通信", "自动化", "精密", "模具",
    ];

    public static readonly HashSet<string> LatinIndustryTokens =
    [
        "trading", "trade", "technology", "technologies", "tech", "industrial", "industries", "industry", "international",
        "intl", "global", "electronics", "electronic", "engineering", "consulting", "services", "service", "solutions",
        "systems", "logistics", "import", "export", "manufacturing", "software", "media", "investment", "development",
        "enterprises", "enterprise", "and", "of", "материалы", "технологии", "сервис", "трейд", "торг", "строй",
    ];
}
