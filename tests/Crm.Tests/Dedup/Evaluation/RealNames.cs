namespace Crm.Tests.Dedup.Evaluation;

/// <summary>
/// Hand-written word lists for the real-name evaluation set: trade names (字号) as Chinese companies register them
/// with the romanization they print on English documents, English and Russian trade names with their usual
/// transliterations, industries and legal forms in each language. Written by hand, not derived from the
/// normalizer's data, so the set does not mirror the code it measures.
/// </summary>
internal static class RealNames
{
    /// <summary>Chinese trade name and its romanization as companies print it.</summary>
    public static readonly (string Hanzi, string Latin)[] ChineseBrands =
    [
        ("明远", "Mingyuan"), ("恒通", "Hengtong"), ("金达", "Jinda"), ("宏图", "Hongtu"), ("天瑞", "Tianrui"), ("华信", "Huaxin"),
        ("博雅", "Boya"), ("同创", "Tongchuang"), ("海纳", "Haina"), ("中联", "Zhonglian"), ("德力", "Deli"), ("万向", "Wanxiang"),
        ("九州", "Jiuzhou"), ("鸿运", "Hongyun"), ("汇通", "Huitong"), ("安泰", "Antai"), ("星河", "Xinghe"), ("蓝天", "Lantian"),
        ("润华", "Runhua"), ("永盛", "Yongsheng"), ("金桥", "Jinqiao"), ("新宇", "Xinyu"), ("凯达", "Kaida"), ("盛世", "Shengshi"),
        ("瑞丰", "Ruifeng"), ("宏达", "Hongda"), ("天成", "Tiancheng"), ("正泰", "Zhengtai"), ("恒远", "Hengyuan"), ("佳禾", "Jiahe"),
        ("富源", "Fuyuan"), ("聚力", "Juli"), ("卓越", "Zhuoyue"), ("嘉诚", "Jiacheng"), ("鼎盛", "Dingsheng"), ("华辰", "Huachen"),
        ("东升", "Dongsheng"), ("长虹", "Changhong"), ("远航", "Yuanhang"), ("银河", "Yinhe"), ("锦绣", "Jinxiu"), ("百川", "Baichuan"),
        ("金鹰", "Jinying"), ("海川", "Haichuan"), ("天宇", "Tianyu"), ("联创", "Lianchuang"), ("国泰", "Guotai"), ("信达", "Xinda"),
        ("亿通", "Yitong"), ("众诚", "Zhongcheng"), ("立信", "Lixin"), ("明德", "Mingde"), ("华瑞", "Huarui"), ("通达", "Tongda"),
        ("兴业", "Xingye"), ("福瑞", "Furui"), ("康达", "Kangda"), ("乐天", "Letian"), ("恒基", "Hengji"), ("金鼎", "Jinding"),
        ("华美", "Huamei"), ("志远", "Zhiyuan"), ("力拓", "Lituo"), ("雅居", "Yaju"), ("美林", "Meilin"), ("尚品", "Shangpin"),
        ("荣盛", "Rongsheng"), ("瀚海", "Hanhai"), ("华腾", "Huateng"), ("奥克", "Aoke"), ("凯旋", "Kaixuan"), ("中天", "Zhongtian"),
        ("博远", "Boyuan"), ("鑫源", "Xinyuan"), ("金帆", "Jinfan"), ("恒信", "Hengxin"), ("鼎新", "Dingxin"), ("华宇", "Huayu"),
        ("昌盛", "Changsheng"), ("智联", "Zhilian"), ("云帆", "Yunfan"), ("海天", "Haitian"), ("三友", "Sanyou"), ("新纪元", "Xinjiyuan"),
        ("东方红", "Dongfanghong"), ("蓝海", "Lanhai"), ("青松", "Qingsong"), ("旭日", "Xuri"), ("腾飞", "Tengfei"), ("翔宇", "Xiangyu"),
        ("天地人", "Tiandiren"), ("百盛", "Baisheng"), ("四海", "Sihai"), ("五洲", "Wuzhou"), ("红星", "Hongxing"), ("春晖", "Chunhui"),
        ("和信", "Hexin"), ("长城", "Changcheng"), ("精诚", "Jingcheng"), ("力源", "Liyuan"), ("启明", "Qiming"), ("晨光", "Chenguang"),
        ("天马", "Tianma"), ("永达", "Yongda"), ("新大陆", "Xindalu"), ("金色阳光", "Jinseyangguang"), ("宏伟", "Hongwei"), ("光明", "Guangming"),
        ("泰和", "Taihe"), ("开元", "Kaiyuan"), ("广信", "Guangxin"), ("华安", "Huaan"), ("东方", "Dongfang"), ("天和", "Tianhe"),
    ];

    /// <summary>Chinese industry words and their English renderings (the first one is the usual).</summary>
    public static readonly (string Hanzi, string[] English)[] ChineseIndustries =
    [
        ("科技", ["Technology", "Tech", "Science and Technology"]), ("贸易", ["Trading", "Trade"]), ("电子", ["Electronics", "Electronic"]),
        ("机械", ["Machinery"]), ("物流", ["Logistics"]), ("实业", ["Industrial", "Industry"]), ("建设", ["Construction"]),
        ("食品", ["Food", "Foods"]), ("医药", ["Pharmaceutical"]), ("咨询", ["Consulting"]), ("化工", ["Chemical"]), ("纺织", ["Textile"]),
        ("软件", ["Software"]), ("传媒", ["Media"]), ("环保", ["Environmental Protection"]), ("信息技术", ["Information Technology", "IT"]),
        ("新材料", ["New Material", "New Materials"]), ("供应链管理", ["Supply Chain Management", "Supply Chain"]),
        ("进出口", ["Import and Export", "Import & Export"]), ("建筑工程", ["Construction Engineering"]), ("汽车销售", ["Auto Sales"]),
    ];

    public static readonly string[] ChineseForms = ["有限公司", "有限责任公司", "股份有限公司"];

    /// <summary>Traditional forms of characters used above (as typed in Taiwan, Hong Kong or by habit).</summary>
    public static readonly Dictionary<char, char> Traditional = new()
    {
        ['远'] = '遠', ['通'] = '通', ['达'] = '達', ['图'] = '圖', ['华'] = '華', ['创'] = '創', ['联'] = '聯', ['万'] = '萬',
        ['鸿'] = '鴻', ['运'] = '運', ['汇'] = '匯', ['润'] = '潤', ['盛'] = '盛', ['桥'] = '橋', ['宇'] = '宇', ['丰'] = '豐',
        ['诚'] = '誠', ['鼎'] = '鼎', ['辰'] = '辰', ['东'] = '東', ['长'] = '長', ['虹'] = '虹', ['航'] = '航', ['银'] = '銀',
        ['锦'] = '錦', ['绣'] = '繡', ['鹰'] = '鷹', ['国'] = '國', ['亿'] = '億', ['众'] = '眾', ['兴'] = '興', ['业'] = '業',
        ['乐'] = '樂', ['美'] = '美', ['尚'] = '尚', ['荣'] = '榮', ['腾'] = '騰', ['帆'] = '帆', ['昌'] = '昌', ['云'] = '雲',
        ['纪'] = '紀', ['红'] = '紅', ['阳'] = '陽', ['晖'] = '暉', ['马'] = '馬', ['陆'] = '陸', ['伟'] = '偉', ['广'] = '廣',
        ['开'] = '開', ['贸'] = '貿', ['电'] = '電', ['机'] = '機', ['实'] = '實', ['设'] = '設', ['药'] = '藥', ['医'] = '醫',
        ['询'] = '詢', ['纺'] = '紡', ['织'] = '織', ['软'] = '軟', ['传'] = '傳', ['环'] = '環', ['术'] = '術', ['息'] = '息',
        ['链'] = '鏈', ['进'] = '進', ['筑'] = '築', ['车'] = '車', ['销'] = '銷', ['售'] = '售', ['责'] = '責', ['任'] = '任',
        ['份'] = '份', ['限'] = '限', ['司'] = '司', ['区'] = '區', ['县'] = '縣', ['市'] = '市', ['省'] = '省', ['苏'] = '蘇',
        ['门'] = '門', ['龙'] = '龍', ['凤'] = '鳳', ['宁'] = '寧', ['湾'] = '灣', ['广'] = '廣', ['庆'] = '慶', ['济'] = '濟',
        ['阴'] = '陰', ['连'] = '連', ['岛'] = '島', ['汉'] = '漢', ['乌'] = '烏', ['齐'] = '齊', ['尔'] = '爾', ['滨'] = '濱',
        ['关'] = '關', ['惠'] = '惠', ['头'] = '頭', ['杨'] = '楊', ['张'] = '張', ['刘'] = '劉', ['赵'] = '趙', ['陈'] = '陳',
    };

    /// <summary>English trade names; pairs with a shared stem make hard negatives (Northwind / Northgate).</summary>
    public static readonly string[] EnglishBrands =
    [
        "Northwind", "Northgate", "Bluestone", "Bluewater", "Greenfield", "Greenway", "Silverline", "Silverton", "Redwood", "Redstone",
        "Clearwater", "Clearview", "Brightway", "Brightstar", "Oakridge", "Oakwood", "Westbrook", "Westfield", "Lakeside", "Lakeview",
        "Highland", "Highgate", "Stonegate", "Stonebridge", "Goldcrest", "Goldfield", "Pinecrest", "Pinewood", "Sunrise", "Sunset",
        "Summit", "Pioneer", "Keystone", "Horizon", "Evergreen", "Ironbridge", "Crescent", "Falcon", "Meridian", "Sterling", "Harbor",
        "Granite", "Maple", "Cedar", "Atlas", "Vanguard", "Beacon", "Riverside", "Fairview", "Bridgewater", "Whitestone", "Copperfield",
        "Ashford", "Kingsley", "Hartwell", "Seaview", "Skyline", "Trident", "Vertex", "Zenith", "Apex", "Orion", "Polaris", "Quantum",
        "Cobalt", "Titan", "Aurora", "Everest", "Sequoia", "Windsor", "Harmony", "Liberty", "Prestige", "Cornerstone", "Blackwood",
    ];

    public static readonly string[] EnglishIndustries =
    [
        "Trading", "Technology", "Electronics", "Logistics", "Engineering", "Industrial", "Consulting", "Manufacturing",
        "Software", "Solutions", "Systems", "Foods", "Pharmaceuticals", "Chemicals", "Textiles", "Media", "Packaging", "Materials",
        "Design", "Energy", "Medical", "Robotics", "Automation", "Instruments", "Biotech", "Security", "Apparel", "Furniture",
    ];

    /// <summary>English legal forms with the abbreviations people type for them.</summary>
    public static readonly string[][] EnglishForms =
    [
        ["Co., Ltd.", "Co.,Ltd", "Co Ltd", "Company Limited", "CO., LTD.", "Co. Ltd"],
        ["Inc.", "Inc", "Incorporated"],
        ["LLC", "L.L.C.", "llc"],
        ["Corp.", "Corporation", "Corp"],
        ["Ltd.", "Limited", "Ltd"],
    ];

    /// <summary>The abbreviations people use for industry words.</summary>
    public static readonly Dictionary<string, string> EnglishAbbreviations = new()
    {
        ["Technology"] = "Tech", ["Technologies"] = "Tech", ["International"] = "Intl", ["Manufacturing"] = "Mfg",
        ["Engineering"] = "Eng", ["Electronics"] = "Electronic", ["Consulting"] = "Consultants", ["Trading"] = "Trade",
    };

    /// <summary>Russian trade names: Cyrillic and the usual Latin spellings (the first one is the BGN/passport style).</summary>
    public static readonly (string Cyrillic, string[] Latin)[] RussianBrands =
    [
        ("Ромашка", ["Romashka"]), ("Вектор", ["Vektor", "Vector"]), ("Альфа", ["Alfa", "Alpha"]), ("Гранит", ["Granit"]),
        ("Сибирь", ["Sibir"]), ("Восток", ["Vostok"]), ("Заря", ["Zarya", "Zaria"]), ("Радуга", ["Raduga"]), ("Спектр", ["Spektr", "Spectr"]),
        ("Технострой", ["Tekhnostroy", "Tehnostroi", "Technostroy"]), ("Стройинвест", ["Stroyinvest", "Stroiinvest"]),
        ("Энергия", ["Energiya", "Energia"]), ("Агроресурс", ["Agroresurs"]), ("Меридиан", ["Meridian"]), ("Горизонт", ["Gorizont"]),
        ("Кристалл", ["Kristall", "Kristal"]), ("Атлант", ["Atlant"]), ("Феникс", ["Feniks", "Phoenix"]), ("Байкал", ["Baykal", "Baikal"]),
        ("Волга", ["Volga"]), ("Дельта", ["Delta"]), ("Прогресс", ["Progress"]), ("Импульс", ["Impuls"]), ("Полюс", ["Polyus", "Polius"]),
        ("Сокол", ["Sokol"]), ("Транзит", ["Tranzit", "Transit"]), ("Гарант", ["Garant"]), ("Магистраль", ["Magistral"]),
        ("Континент", ["Kontinent", "Continent"]), ("Эталон", ["Etalon"]), ("Фортуна", ["Fortuna"]), ("Надежда", ["Nadezhda"]),
        ("Юпитер", ["Yupiter", "Jupiter"]), ("Химпром", ["Khimprom", "Himprom"]), ("Жемчуг", ["Zhemchug"]), ("Светоч", ["Svetoch"]),
        ("Уралтранс", ["Uraltrans"]), ("Северсталь", ["Severstal"]), ("Техснаб", ["Tekhsnab", "Tehsnab"]), ("Металлург", ["Metallurg"]),
        ("Стройматериалы", ["Stroymaterialy", "Stroimaterialy"]), ("Лесопромышленник", ["Lesopromyshlennik"]), ("Щедрость", ["Shchedrost", "Schedrost"]),
        ("Аврора", ["Avrora", "Aurora"]), ("Империя", ["Imperiya", "Imperia"]), ("Олимп", ["Olimp"]), ("Союз", ["Soyuz", "Soiuz"]),
        ("Рассвет", ["Rassvet"]), ("Ладога", ["Ladoga"]), ("Енисей", ["Yenisey", "Enisei"]), ("Амур", ["Amur"]), ("Алтай", ["Altay", "Altai"]),
        ("Кедр", ["Kedr"]), ("Полимер", ["Polimer", "Polymer"]), ("Автоцентр", ["Avtotsentr", "Avtocentr"]), ("Промтех", ["Promtekh", "Promtech"]),
        ("Техноком", ["Tekhnokom", "Technokom"]), ("Мегаполис", ["Megapolis"]), ("Интеграл", ["Integral"]), ("Вымпел", ["Vympel"]),
        ("Звезда", ["Zvezda"]), ("Ника", ["Nika"]), ("Бриз", ["Briz"]),
    ];

    /// <summary>Russian legal forms: Cyrillic abbreviation, the spelled-out form, Latin renderings.</summary>
    public static readonly (string Short, string Long, string[] Latin)[] RussianForms =
    [
        ("ООО", "Общество с ограниченной ответственностью", ["LLC", "OOO", "Ltd"]),
        ("АО", "Акционерное общество", ["JSC", "AO"]),
        ("ПАО", "Публичное акционерное общество", ["PJSC", "PAO"]),
    ];

    public static readonly (string Cyrillic, string Latin)[] RussianCities =
    [
        ("Москва", "Moscow"), ("Санкт-Петербург", "Saint Petersburg"), ("Новосибирск", "Novosibirsk"), ("Екатеринбург", "Yekaterinburg"),
        ("Казань", "Kazan"), ("Самара", "Samara"), ("Пермь", "Perm"), ("Владивосток", "Vladivostok"),
    ];

    public static readonly string[] ChineseRoads = ["人民路", "解放路", "中山路", "建设路", "文化路", "新华路", "和平路", "胜利路", "工业园路", "环城北路", "滨江大道", "科技路"];

    public static readonly string[] LatinRoads = ["Renmin Road", "Jiefang Road", "Zhongshan Road", "Jianshe Road", "Wenhua Road", "Heping Road", "Binjiang Avenue", "Keji Road"];

    public static readonly string[] RussianStreets = ["ул. Ленина", "ул. Пушкина", "пр. Мира", "ул. Гагарина", "ул. Советская", "ул. Садовая"];
}
