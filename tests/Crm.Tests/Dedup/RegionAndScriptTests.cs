using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup;

/// <summary>
/// The standard plugin's data (Chinese divisions, traditional characters, pinyin) and what the normalizer and the
/// strategies do with it: regions written every way, traditional characters, typos, Russian identifiers and names
/// written in two scripts.
/// </summary>
public sealed class RegionAndScriptTests
{
    private readonly CompanyNameStrategy _names = new();
    private readonly IdentityKeysStrategy _identity = new();

    [Fact]
    public void Division_data_holds_every_province_prefecture_and_county()
    {
        var all = ChineseRegions.Instance.All;
        Assert.Equal(34, all.Count(r => r.Level == 1)); // 31 provinces, Taiwan, Hong Kong, Macau
        Assert.InRange(all.Count(r => r.Level == 2), 330, 340);
        Assert.InRange(all.Count(r => r.Level == 3), 2800, 2900);
        Assert.Contains(all, r => r is { Code: "3308", Name: "衢州市", Short: "衢州", Latin: "quzhou" });
        Assert.Contains(all, r => r is { Code: "3208", Name: "淮安市", Latin: "huaian" });
        Assert.Contains(all, r => r is { Code: "5107", Name: "绵阳市" });
        Assert.Contains(all, r => r is { Name: "延边朝鲜族自治州", Short: "延边" });
        Assert.Contains(all, r => r is { Name: "恩施土家族苗族自治州", Short: "恩施" });
        Assert.Contains(all, r => r is { Code: "330802", Name: "柯城区", Short: "柯城" });
        Assert.Contains(all, r => r is { Name: "锡林郭勒盟", Short: "锡林郭勒" });
        Assert.DoesNotContain(all, r => r.Name == "市辖区");
        Assert.True(ChineseRegions.Instance.Compatible("浙江", "衢州"));
        Assert.True(ChineseRegions.Instance.Compatible("quzhou", "衢州市"));
        Assert.False(ChineseRegions.Instance.Compatible("衢州", "淮安"));
    }

    [Theory]
    [InlineData("衢州市明远科技有限公司")]
    [InlineData("衢州明远科技有限公司")]
    [InlineData("明远科技（衢州）有限公司")]
    [InlineData("明远科技(衢州市)有限公司")]
    [InlineData("明远科技有限公司")]
    [InlineData("浙江省衢州市明远科技有限公司")]
    [InlineData("衢州市柯城区明远科技有限公司")]
    [InlineData("柯城区明远科技有限公司")]
    [InlineData("明远科技有限公司杭州分公司")]
    [InlineData("衢州 明远科技 有限公司")]
    [InlineData("衢州明遠科技有限公司")] // traditional
    [InlineData("淮安明远科技有限公司")]
    [InlineData("绵阳市明远科技有限公司")]
    [InlineData("延边明远科技有限公司")]
    public void Region_prefixes_brackets_suffixes_and_absence_reduce_to_one_core(string input) =>
        Assert.Equal("明远科技", CompanyName.Parse(input)!.Core);

    [Theory]
    [InlineData("辽阳宏伟机械有限公司", "宏伟机械")] // 宏伟 is a district of 辽阳, but then nothing but 机械 would be left
    [InlineData("沈阳市东方红食品有限公司", "东方红食品")] // 东方 is a city in Hainan, not in 沈阳
    [InlineData("新华贸易有限公司", "新华贸易")] // a district's short form alone is a word of the name
    public void Region_words_that_are_part_of_the_name_stay(string input, string core) =>
        Assert.Equal(core, CompanyName.Parse(input)!.Core);

    [Fact]
    public void Another_region_on_both_sides_is_a_weaker_match_than_a_region_missing_on_one()
    {
        var missing = _names.Compare(Lead("明远科技有限公司"), Lead("衢州市明远科技有限公司"))!;
        var inside = _names.Compare(Lead("浙江明远科技有限公司"), Lead("衢州市明远科技有限公司"))!;
        var other = _names.Compare(Lead("淮安市明远科技有限公司"), Lead("衢州市明远科技有限公司"))!;
        Assert.Equal(MatchStrength.Strong, missing.Strength);
        Assert.Equal(MatchStrength.Strong, inside.Strength);
        Assert.Equal(MatchStrength.Weak, other.Strength);
        Assert.True(other.Score < missing.Score);
        Assert.Null(_names.Compare(Lead("淮安市明远科技有限公司", "淮安市人民路12号"), Lead("衢州市明远科技有限公司", "衢州市解放路88号")));
    }

    [Fact]
    public void Branches_in_two_cities_are_one_name_in_two_regions_and_a_branch_without_a_city_stays_its_company()
    {
        var twoBranches = _names.Compare(Lead("中国平安财产保险股份有限公司杭州分公司"), Lead("中国平安财产保险股份有限公司深圳分公司"))!;
        var branchAndSeat = _names.Compare(Lead("南京紫金山电子有限公司无锡分公司"), Lead("南京紫金山电子有限公司"))!;
        var sameCity = _names.Compare(Lead("明辉贸易有限公司杭州分公司"), Lead("杭州明辉贸易有限公司"))!;
        var noCity = _names.Compare(Lead("明辉贸易有限公司分公司"), Lead("上海明辉贸易有限公司"))!;

        Assert.Equal("杭州", CompanyName.Parse("中国平安财产保险股份有限公司杭州分公司")!.Region);
        Assert.Equal((MatchStrength.Weak, MatchStrength.Weak), (twoBranches.Strength, branchAndSeat.Strength)); // flagged, not blocked
        Assert.Equal((MatchStrength.Strong, MatchStrength.Strong), (sameCity.Strength, noCity.Strength));
        Assert.Null(_names.Compare(Lead("明辉贸易有限公司杭州分公司", "杭州市西湖区文三路 90 号"), Lead("明辉贸易有限公司深圳分公司", "深圳市南山区科技园南路 1 号")));
    }

    [Theory]
    [InlineData("字节跳动有限公司", "北京字节跳动科技有限公司")]
    [InlineData("字节跳动", "北京字节跳动科技有限公司")]
    public void A_brand_whose_trade_is_left_out_on_one_side_is_flagged(string lead, string existing) =>
        Assert.Equal(MatchStrength.Weak, _names.Compare(Lead(lead), Lead(existing))!.Strength);

    [Theory]
    [InlineData("北京字节跳动网络技术有限公司", "北京字节跳动科技有限公司")] // another trade
    [InlineData("上海字节跳动有限公司", "北京字节跳动科技有限公司")] // another city
    public void The_same_brand_in_another_trade_or_city_is_not_flagged_for_it(string lead, string existing) =>
        Assert.Null(_names.Compare(Lead(lead), Lead(existing)));

    [Theory]
    [InlineData("ООО «Аптека №15»", "ООО «Аптека №12»")]
    [InlineData("Школа №57", "Школа № 5")]
    [InlineData("7-Eleven Store 101", "7-Eleven Store 102")]
    [InlineData("明辉便利店第12分店", "明辉便利店第21分店")]
    public void Numbered_places_with_other_numbers_are_not_one_customer(string lead, string existing) =>
        Assert.Null(_names.Compare(Lead(lead), Lead(existing)));

    [Theory]
    [InlineData("ООО «Аптека №12»", "Аптека № 12 ООО")]
    [InlineData("7-Eleven Store 101", "7 Eleven Store No. 101")]
    public void The_same_numbered_place_written_otherwise_is_found(string lead, string existing) =>
        Assert.NotNull(_names.Compare(Lead(lead), Lead(existing)));

    [Theory]
    [InlineData("臺北華信貿易有限公司", "台北华信贸易有限公司")]
    [InlineData("ＡＣＭＥ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．", "Acme Trading Co., Ltd.")]
    public void Traditional_and_full_width_names_meet_their_plain_forms(string a, string b) =>
        Assert.Equal(CompanyName.Parse(b)!.Key, CompanyName.Parse(a)!.Key);

    [Theory]
    [InlineData("Northwind Logistics Co., Ltd.", "Nortwhind Logistics Co., Ltd.")] // swap in the brand
    [InlineData("Northwind Logistics Co., Ltd.", "Northwind Logistcs Co., Ltd.")] // missing letter in an industry word
    [InlineData("Northwind Logistics Co., Ltd.", "Northwind Logistics Co., Limted")] // in the legal form
    [InlineData("Shanghai Northwind Logistics Co., Ltd.", "Shanghia Northwind Logistics Co., Ltd.")] // in the city
    [InlineData("Titan Chemicals Ltd.", "Tiatn Chemicals Ltd.")]
    [InlineData("Stonebridge Technology LLC", "Stonebridge Tech L.L.C.")] // abbreviations
    [InlineData("ООО «Технострой»", "ООО «Технсотрой»")] // Cyrillic swap
    public void One_typo_in_any_word_still_matches(string existing, string typed)
    {
        Assert.NotNull(_names.Compare(Lead(typed), Lead(existing)));
        Assert.Contains(_names.Keys(Lead(typed)), _names.Keys(Lead(existing)).Contains);
    }

    [Theory]
    [InlineData("Northwind Logistics Co., Ltd.", "Northgate Logistics Co., Ltd.")]
    [InlineData("Vorhel Trading LLC", "Torhel Trading LLC")] // another first letter: another company
    [InlineData("Bluestone Trading Co., Ltd.", "Bluewater Trading Co., Ltd.")]
    [InlineData("ООО «Вектор»", "ООО «Сектор»")]
    public void Look_alikes_in_the_same_trade_do_not_match(string a, string b) =>
        Assert.Null(_names.Compare(Lead(a), Lead(b)));

    [Theory]
    [InlineData("7707083893", "inn")] // Sberbank's INN
    [InlineData("ИНН 7707083893", "inn")]
    [InlineData("ИНН/КПП 7707083893/773601001", "inn")]
    [InlineData("500100732259", "inn")] // a person's INN
    [InlineData("1027700132195", "ogrn")]
    [InlineData("ОГРН 1027700132195", "ogrn")]
    [InlineData("304500116000157", "ogrnip")]
    public void Russian_identifiers_are_recognised_by_their_check_digits(string input, string scheme)
    {
        var tax = TaxId.Parse(input)!;
        Assert.Equal(scheme, tax.Scheme);
        Assert.True(tax.ChecksumValid);
    }

    [Theory]
    [InlineData("7707083894")] // check digit off by one: another number, no verdict
    [InlineData("1027700132196")]
    public void Numbers_whose_check_digits_fail_are_plain_tax_ids(string input) => Assert.Null(TaxId.Parse(input)!.Scheme);

    [Fact]
    public void A_kpp_alone_identifies_no_company() => Assert.Null(TaxId.Parse("КПП 773601001"));

    [Fact]
    public void The_same_inn_written_two_ways_is_an_exact_match()
    {
        var match = _identity.Compare(new CustomerSnapshot { Id = "a", Name = "a", TaxId = "ИНН 7707 083893" }, new CustomerSnapshot { Id = "b", Name = "b", TaxId = "7707083893" })!;
        Assert.Equal(MatchStrength.Exact, match.Strength);
        Assert.Equal("same INN", match.Reason);
    }

    [Theory]
    [InlineData("ООО «Ромашка»", "Romashka LLC")]
    [InlineData("ООО \"Технострой\"", "OOO Tekhnostroy")]
    [InlineData("АО «Енисей-Групп»", "AO \"Yenisey Grupp\"")]
    [InlineData("Общество с ограниченной ответственностью «Заря»", "Zaria Ltd")]
    public void Russian_names_meet_their_transliterations(string cyrillic, string latin)
    {
        Assert.NotNull(_names.Compare(Lead(latin), Lead(cyrillic)));
        Assert.Contains(_names.Keys(Lead(latin)), _names.Keys(Lead(cyrillic)).Contains);
    }

    [Theory]
    [InlineData("北京明远科技有限公司", "Beijing Mingyuan Technology Co., Ltd.")]
    [InlineData("衢州市长虹电子有限公司", "Changhong Electronics (Quzhou) Co., Ltd.")]
    [InlineData("淮安华信信息技术有限公司", "Huai'an Huaxin Information Technology Company Limited")]
    public void A_chinese_name_and_its_pinyin_rendering_are_flagged(string chinese, string english)
    {
        var match = _names.Compare(Lead(english), Lead(chinese))!;
        Assert.Equal(MatchStrength.Weak, match.Strength);
        Assert.Contains(_names.Keys(Lead(english)), _names.Keys(Lead(chinese)).Contains);
    }

    [Theory]
    [InlineData("北京明远科技有限公司", "Beijing Mingyuan Trading Co., Ltd.")] // another trade
    [InlineData("北京明远科技有限公司", "Shanghai Mingyuan Technology Co., Ltd.")] // another city
    [InlineData("锦绣建设有限公司", "Jinxiu Construction Engineering Co., Ltd.")] // 建设 is not 建筑工程
    [InlineData("北京明远科技有限公司", "Beijing Mingda Technology Co., Ltd.")]
    public void A_rendering_of_another_trade_city_or_name_is_not_flagged(string chinese, string english) =>
        Assert.Null(_names.Compare(Lead(english), Lead(chinese)));

    private static CustomerSnapshot Lead(string company, string? address = null) =>
        new() { Id = Guid.NewGuid().ToString(), Name = "x", Company = company, Address = address };
}
