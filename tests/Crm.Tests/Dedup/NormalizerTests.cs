using Crm.Plugins.Standard.Dedup;

namespace Crm.Tests.Dedup;

public sealed class NormalizerTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // Fujian, published example
    [InlineData("91110000802100433B")]
    [InlineData("91310000MA1FL4B24G")]
    public void Credit_code_with_a_right_check_character_is_valid(string code) =>
        Assert.True(CreditCode.IsValid(code), $"{code}: expected check {CreditCode.CheckCharacter(code.AsSpan(0, 17))}");

    [Theory]
    [InlineData("91350100M000100Y44")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100YI3")]
    public void Credit_code_with_a_wrong_check_character_or_length_is_invalid(string code) =>
        Assert.False(CreditCode.IsValid(code));

    [Theory]
    [InlineData("9135 0100 M000 100Y 43", "91350100M000100Y43", true)]
    [InlineData("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", true)] // full-width, as pasted from a PDF
    [InlineData("91350100m000100y43", "91350100M000100Y43", true)]
    [InlineData("9135-0100-M000-100Y-43", "91350100M000100Y43", true)]
    [InlineData("91350100MOOO1OOY43", "91350100M000100Y43", true)] // letter O typed for zero
    [InlineData("91350100M000100Y44", "91350100M000100Y44", false)]
    [InlineData("\u202a9135\u200b0100M000100Y43\u202c", "91350100M000100Y43", true)]
    public void Tax_id_is_normalized_to_an_upper_case_credit_code(string input, string expected, bool valid)
    {
        var tax = TaxId.Parse(input)!;
        Assert.Equal(expected, tax.Value);
        Assert.Equal("uscc", tax.Kind);
        Assert.Equal(valid, tax.ChecksumValid);
    }

    [Theory]
    [InlineData("DE 123 456 789", "DE123456789")]
    [InlineData("7707083893", "7707083893")] // Russian INN
    public void Other_tax_ids_keep_their_letters_and_digits(string input, string expected)
    {
        var tax = TaxId.Parse(input)!;
        Assert.Equal(expected, tax.Value);
        Assert.Equal("tax-id", tax.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("n/a")]
    [InlineData("12-34")]
    [InlineData("无")]
    public void Blank_or_placeholder_tax_ids_are_not_keys(string input) => Assert.Null(TaxId.Parse(input));

    [Theory]
    [InlineData("13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("+86-13800138000")]
    [InlineData("0086 13800138000")]
    [InlineData("008613800138000")]
    [InlineData("(86) 138 0013 8000")]
    [InlineData("8613800138000")]
    [InlineData("１３８００１３８０００")] // full-width digits
    [InlineData("手机：138 0013 8000")]
    [InlineData("tel: +86 (138) 0013-8000")]
    [InlineData("\u202a+86 138 0013 8000\u202c")] // direction marks: iPhone contacts put them around a copied number
    [InlineData("\u200e138\u200b0013\u00ad8000\u200f")]
    [InlineData("\ufeff138 0013 8000\U000E0001")]
    public void Chinese_mobile_numbers_normalize_to_one_E164(string input) =>
        Assert.Equal("+8613800138000", new PhoneNormalizer().ToE164(input));

    [Theory]
    [InlineData("021-6888 8888", "+862168888888")]
    [InlineData("(021) 68888888", "+862168888888")]
    [InlineData("+86 21 6888 8888 转 123", "+862168888888")]
    [InlineData("010-8888-6666 ext. 12", "+861088886666")]
    public void Chinese_landlines_keep_their_area_code_and_drop_extensions(string input, string expected) =>
        Assert.Equal(expected, new PhoneNormalizer().ToE164(input));

    [Theory]
    [InlineData("+7 (495) 123-45-67", "CN", "+74951234567")]
    [InlineData("8 (495) 123-45-67", "RU", "+74951234567")]
    [InlineData("(415) 555-2671", "US", "+14155552671")]
    [InlineData("+49 30 901820", "CN", "+4930901820")]
    public void Numbers_are_read_in_their_country_or_the_default_region(string input, string region, string expected) =>
        Assert.Equal(expected, new PhoneNormalizer(region).ToE164(input));

    [Theory]
    [InlineData("12")]
    [InlineData("not a phone")]
    [InlineData("")]
    public void Impossible_phone_numbers_are_not_keys(string input) => Assert.Null(new PhoneNormalizer().ToE164(input));

    [Fact]
    public void Mobile_and_landline_are_told_apart()
    {
        Assert.True(PhoneNormalizer.IsMobile("+8613800138000"));
        Assert.False(PhoneNormalizer.IsMobile("+862168888888"));
    }

    [Theory]
    [InlineData("Li.Wei+crm@Gmail.com", "liwei@gmail.com")]
    [InlineData("li.wei@googlemail.com", "liwei@gmail.com")]
    [InlineData("  LI.WEI@ACME.COM.CN ", "li.wei@acme.com.cn")] // dots matter outside Gmail
    [InlineData("sales+cn@outlook.com", "sales@outlook.com")]
    [InlineData("sales+cn@acme.com", "sales+cn@acme.com")] // unknown providers may treat + as part of the name
    [InlineData("Li Wei <li.wei@acme.com>", "li.wei@acme.com")]
    [InlineData("mailto:li.wei@acme.com", "li.wei@acme.com")]
    [InlineData("ｌｉ．ｗｅｉ＠ａｃｍｅ．ｃｏｍ", "li.wei@acme.com")] // full-width
    [InlineData("12345678@foxmail.com", "12345678@qq.com")]
    [InlineData("\u200bfoo.bar@example.com", "foo.bar@example.com")] // invisible format characters (Cf) are no part of an address
    [InlineData("\u202afoo.bar@exam\u00adple.com\u202c\ufeff", "foo.bar@example.com")]
    [InlineData("foo\u200d.bar\u200c@example.com", "foo.bar@example.com")]
    public void Email_addresses_normalize_to_one_form(string input, string expected) =>
        Assert.Equal(expected, EmailNormalizer.Normalize(input));

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("a@b")]
    [InlineData("@acme.com")]
    public void Things_that_are_not_email_addresses_are_not_keys(string input) => Assert.Null(EmailNormalizer.Normalize(input));

    [Theory]
    [InlineData("上海明辉贸易有限公司", "明辉贸易")]
    [InlineData("上海市明辉贸易有限公司", "明辉贸易")]
    [InlineData("明辉贸易（上海）有限公司", "明辉贸易")]
    [InlineData("明辉贸易(上海)有限公司", "明辉贸易")]
    [InlineData("上海明辉贸易有限责任公司", "明辉贸易")]
    [InlineData("上海明辉贸易股份有限公司", "明辉贸易")]
    [InlineData("明辉贸易集团有限公司", "明辉贸易")]
    [InlineData("明辉贸易集团", "明辉贸易")]
    [InlineData("上海明辉贸易有限公司北京分公司", "明辉贸易")]
    [InlineData("明辉贸易北京分公司", "明辉贸易")]
    [InlineData("明辉贸易有限公司杭州办事处", "明辉贸易")]
    [InlineData("广东省深圳市明辉贸易有限公司", "明辉贸易")]
    [InlineData("上海 明辉 贸易 有限公司", "明辉贸易")]
    [InlineData("阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术")]
    [InlineData("华为技术有限公司", "华为技术")]
    [InlineData("上海ＡＢＣ科技有限公司", "abc科技")]
    [InlineData("\ufeff上海明辉\u200b贸易有限公司\u200f", "明辉贸易")]
    public void Chinese_company_names_reduce_to_their_core(string input, string core) =>
        Assert.Equal(core, CompanyName.Parse(input)!.Key);

    [Theory]
    [InlineData("Shanghai Acme Trading Co., Ltd.", "acme trading")]
    [InlineData("ACME TRADING CO.,LTD", "acme trading")]
    [InlineData("Acme Trading Company Limited", "acme trading")]
    [InlineData("Acme Trading (Shanghai) Co. Ltd.", "acme trading")]
    [InlineData("Acme Trading LLC", "acme trading")]
    [InlineData("Acme Trading, Inc.", "acme trading")]
    [InlineData("Acme Trading GmbH", "acme trading")]
    [InlineData("Acme Trading GmbH & Co. KG", "acme trading")]
    [InlineData("Acme Trading Beijing Branch", "acme trading")]
    [InlineData("Ａｃｍｅ Ｔｒａｄｉｎｇ Ｃｏ．， Ｌｔｄ．", "acme trading")]
    [InlineData("Smith & Sons Ltd", "smith and sons")]
    [InlineData("\ufeffAcme Trad\u00ading\u200b Co., Ltd.\u200e", "acme trading")]
    public void Latin_company_names_reduce_to_their_core(string input, string core) =>
        Assert.Equal(core, CompanyName.Parse(input)!.Core);

    [Theory]
    [InlineData("ООО «Ромашка»", "ромашка")]
    [InlineData("ООО \"Ромашка\"", "ромашка")]
    [InlineData("Общество с ограниченной ответственностью «Ромашка»", "ромашка")]
    [InlineData("АО «Ромашка»", "ромашка")]
    [InlineData("ПАО Ромашка", "ромашка")]
    [InlineData("Ромашка, филиал в Москве", "ромашка в москве")]
    [InlineData("ООО «Рома\u00adшка»\u202c", "ромашка")]
    public void Russian_company_names_reduce_to_their_core(string input, string core) =>
        Assert.Equal(core, CompanyName.Parse(input)!.Core);

    [Fact]
    public void The_brand_drops_industry_words_and_the_region_is_remembered()
    {
        var name = CompanyName.Parse("上海明辉贸易有限公司")!;
        Assert.Equal("明辉", name.Brand);
        Assert.Equal("上海", name.Region);
        var latin = CompanyName.Parse("Shanghai Acme Trading Co., Ltd.")!;
        Assert.Equal("acme", latin.Brand);
        Assert.Equal("shanghai", latin.Region);
    }

    [Theory]
    [InlineData("有限公司")]
    [InlineData("Co., Ltd.")]
    [InlineData("  ")]
    public void Names_that_are_only_a_legal_form_have_no_core(string input) => Assert.Null(CompanyName.Parse(input));

    [Theory]
    [InlineData("上海市浦东新区张江路123号", "浦东新区张江路123号", 0.9)]
    [InlineData("No. 123 Zhangjiang Rd., Pudong, Shanghai", "123 Zhangjiang Road Pudong", 0.9)]
    public void Addresses_written_differently_are_similar(string a, string b, double atLeast) =>
        Assert.True(AddressText.Parse(a)!.Similarity(AddressText.Parse(b)!) >= atLeast);

    [Fact]
    public void Another_house_number_on_the_same_street_is_not_the_same_address()
    {
        var a = AddressText.Parse("上海市浦东新区张江路123号")!;
        var b = AddressText.Parse("上海市浦东新区张江路456号")!;
        Assert.True(a.Similarity(b) < 0.5, a.Similarity(b).ToString());
    }

    [Theory]
    [InlineData("acmetrading", "acmetrading", 1.0)]
    [InlineData("acmetrading", "acmetradng", 0.91)]
    [InlineData("abc", "xyz", 0.0)]
    public void Levenshtein_similarity_counts_edits(string a, string b, double expected) =>
        Assert.Equal(expected, StringSimilarity.Levenshtein(a, b), 2);

    [Fact]
    public void Word_order_does_not_change_the_token_sort_similarity() =>
        Assert.Equal(1.0, StringSimilarity.TokenSort("trading acme", "acme trading"));
}
