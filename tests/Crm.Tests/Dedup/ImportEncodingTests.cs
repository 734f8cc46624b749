using System.Text;
using Crm.Server.Api.Dedup;

namespace Crm.Tests.Dedup;

/// <summary>How <see cref="ImportEncoding"/> tells a CSV's encoding, on what Chinese and Russian Excel and editors write.</summary>
public sealed class ImportEncodingTests
{
    static ImportEncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string Chinese = "公司名称,联系人,手机,地址,来源\r\n杭州联合科技有限公司,张伟,13900001001,浙江省杭州市西湖区文三路90号,展会\r\n" +
        "绍兴柯桥纺织印染有限公司,沈丽,13957500001,绍兴市柯桥区,官网\r\n湖州南浔木业有限公司,钱军,13957500010,湖州市南浔区,转介绍\r\n";

    private const string Russian = "Компания;Контакт;Телефон;Адрес;Источник\r\nООО «Ромашка»;Иванов Иван;8 (912) 345-67-89;г. Москва, ул. Ленина, д. 1;выставка\r\n" +
        "АО \"Сибирь-Трейд\";Петров Пётр;+7 912 345 67 80;г. Новосибирск;сайт\r\nИП Кузнецова;Кузнецова Анна;+7 913 555 01 02;г. Омск, пр. Мира, д. 7;звонок\r\n";

    private static string Decoded(byte[] content, string? charset = null)
    {
        var (text, error) = ImportEncoding.Decode(content, charset);
        Assert.True(text is not null, error);
        return text!;
    }

    [Theory]
    [InlineData(Chinese)]
    [InlineData(Russian)]
    public void Utf8_with_or_without_bom_and_utf16_with_bom_are_read_as_written(string text)
    {
        Assert.Equal(text, Decoded(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, Decoded([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]));
        Assert.Equal(text, Decoded([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]));
        Assert.Equal(text, Decoded([.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)]));
    }

    [Fact]
    public void Chinese_excel_gb18030_and_russian_excel_windows_1251_are_told_apart()
    {
        Assert.Equal(Chinese, Decoded(Encoding.GetEncoding("GB18030").GetBytes(Chinese)));
        Assert.Equal(Russian, Decoded(Encoding.GetEncoding(1251).GetBytes(Russian)));
        // Short files: a header and one row.
        Assert.Equal("公司名称,手机\n宁波海天塑机集团有限公司,13900001001\n", Decoded(Encoding.GetEncoding("GB18030").GetBytes("公司名称,手机\n宁波海天塑机集团有限公司,13900001001\n")));
        Assert.Equal("Компания;Телефон\nООО Ель;+7 913 555 02 01\n", Decoded(Encoding.GetEncoding(1251).GetBytes("Компания;Телефон\nООО Ель;+7 913 555 02 01\n")));
    }

    [Fact]
    public void An_explicit_charset_wins_and_an_unknown_one_is_named()
    {
        Assert.Equal(Russian, Decoded(Encoding.GetEncoding(1251).GetBytes(Russian), "windows-1251"));
        Assert.Equal(Chinese, Decoded(Encoding.GetEncoding("GB18030").GetBytes(Chinese), "GBK"));
        Assert.Equal(Chinese, Decoded(Encoding.Unicode.GetBytes(Chinese), "utf-16"));
        var (_, unknown) = ImportEncoding.Decode("company\n"u8.ToArray(), "koi8-x");
        Assert.Contains("'koi8-x'", unknown);
        // Labelled utf-8 (many clients label every upload so) but not: told from its bytes, as without a label.
        Assert.Equal(Russian, Decoded(Encoding.GetEncoding(1251).GetBytes(Russian), "utf-8"));
        Assert.Equal("company\n", Decoded("company\n"u8.ToArray(), "us-ascii"));
    }

    /// <summary>
    /// Two files appended one to the other (<c>cat a.csv b.csv</c>, <c>copy a.csv+b.csv</c>) carry the second file's
    /// byte-order mark inside the text: a zero-width no-break space that would end up in the first cell of its line.
    /// </summary>
    [Theory]
    [InlineData("utf-8")]
    [InlineData(null)]
    public void A_byte_order_mark_inside_the_file_is_dropped(string? charset)
    {
        var first = "company,phone\r\nAcme Ltd,13900001001\r\n";
        var second = "Beta Ltd,13900001002\r\n";
        byte[] utf8 = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(first), 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(second)];
        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(first), .. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(second)];

        Assert.Equal(first + second, Decoded(utf8, charset));
        Assert.Equal(first + second, Decoded(utf16, charset is null ? null : "utf-16"));
        Assert.Equal(Chinese + Chinese, Decoded([.. Encoding.GetEncoding("GB18030").GetBytes(Chinese), .. Encoding.GetEncoding("GB18030").GetBytes("\ufeff" + Chinese)]));
    }

    [Fact]
    public void Utf8_with_a_stray_byte_is_refused_with_its_line_and_how_to_fix_it()
    {
        byte[] content = [.. Encoding.UTF8.GetBytes(Chinese), .. "Caf"u8, 0xE9, .. " Lyon SARL,Ren,13961100013\r\n"u8];

        var (text, error) = ImportEncoding.Decode(content, null);

        Assert.Null(text);
        Assert.Contains("line 5", error);
        Assert.Contains("UTF-8", error);
        Assert.Contains("charset", error);
    }

    [Fact]
    public void Bytes_that_look_like_neither_chinese_nor_russian_are_refused_rather_than_garbled()
    {
        // Latin-1 (Windows-1252) French: neither GB18030 hanzi nor Cyrillic.
        var (text, error) = ImportEncoding.Decode(Encoding.Latin1.GetBytes("société,téléphone\nCafé Lyon SARL,0472000000\n"), null);

        Assert.Null(text);
        Assert.Contains("could not be told", error);
        Assert.Contains("line 1", error);
    }
}
