using System.IO.Compression;
using System.Text;
using Crm.Server.Api.Dedup;

namespace Crm.Tests.Dedup;

/// <summary>
/// How an import file is read (<see cref="ImportTable"/>, <see cref="ColumnMapping"/>): encodings, files that are not
/// tables, headers, row numbers and cells, as a user checks them in the answer.
/// </summary>
public sealed class ImportFilesTests
{
    static ImportFilesTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly ImportOptions Limits = new();

    private const string Russian = "Компания;Контакт;Телефон;Почта;ИНН;Адрес;Источник\r\n" +
        "ООО «Ромашка»;Иванов Иван;8 (912) 345-67-89;ivanov@romashka.ru;7707083893;г. Москва, ул. Ленина, д. 1;выставка\r\n" +
        "АО \"Сибирь-Трейд\";Петров Пётр;+7 912 345 67 80;petrov@sibtrade.ru;5406123456;г. Новосибирск;сайт\r\n";

    private const string Chinese = "公司名称,联系人,手机,邮箱,地址,税号,来源\r\n" +
        "杭州联合科技有限公司,张伟,13900001001,zw@lianhe.cn,浙江省杭州市西湖区文三路90号,91330100MA2H3X1A1B,展会\r\n" +
        "北京华信贸易有限公司,李娜,+86 139-0000-1002,ln@huaxin.cn,北京市朝阳区建国路88号,,官网\r\n";

    private static ImportTable Table(byte[] content)
    {
        var (table, error) = ImportTable.Read(content, Limits);
        Assert.True(table is not null, error);
        return table!;
    }

    private static string Refusal(byte[] content)
    {
        var (table, error) = ImportTable.Read(content, Limits);
        Assert.Null(table);
        return error!;
    }

    private static string? Cell(ImportTable table, int row, string header) => table.Rows[row].Cells.GetValueOrDefault(header);

    [Fact]
    public void A_windows_1251_csv_from_russian_excel_is_read_as_cyrillic()
    {
        var table = Table(Encoding.GetEncoding(1251).GetBytes(Russian));

        Assert.Equal(["Компания", "Контакт", "Телефон", "Почта", "ИНН", "Адрес", "Источник"], table.Headers);
        Assert.Equal("ООО «Ромашка»", Cell(table, 0, "Компания"));
        Assert.Equal("Петров Пётр", Cell(table, 1, "Контакт"));
    }

    [Fact]
    public void A_gb18030_csv_from_chinese_excel_is_read_as_chinese()
    {
        var table = Table(Encoding.GetEncoding("GB18030").GetBytes(Chinese));

        Assert.Equal("杭州联合科技有限公司", Cell(table, 0, "公司名称"));
        Assert.Equal("北京市朝阳区建国路88号", Cell(table, 1, "地址"));
    }

    [Fact]
    public void A_utf8_file_with_one_stray_latin1_byte_is_refused_naming_its_line_instead_of_garbling_every_cell()
    {
        // Lines 2-3 are good UTF-8 Chinese; line 4 has "Café" with é written as the one Latin-1 byte E9.
        var good = Encoding.UTF8.GetBytes("company,name,phone\n常州恒立液压有限公司,许明,13961100011\n无锡先导智能装备有限公司,王燕,13961100012\nCaf");
        var content = good.Concat(new byte[] { 0xE9 }).Concat(Encoding.UTF8.GetBytes(" Lyon SARL,Ren,13961100013\n")).ToArray();

        var error = Refusal(content);

        Assert.Contains("line 4", error);
        Assert.Contains("UTF-8", error);
    }

    [Fact]
    public void Files_that_are_not_tables_are_refused_naming_what_they_are()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        var utf16WithoutBom = Encoding.Unicode.GetBytes("Company\tContact\tPhone\r\nAcme Ltd\tJohn\t+86 138 0013 8100\r\n");
        var multipart = Encoding.UTF8.GetBytes("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\ncompany\r\nAcme\r\n--XyZ--\r\n");

        Assert.Contains("image (PNG)", Refusal(png));
        Assert.Contains(".xls", Refusal(xls));
        Assert.Contains("not text", Refusal(random));
        Assert.Contains("UTF-16", Refusal(utf16WithoutBom));
        Assert.Contains("multipart form", Refusal(multipart));
    }

    [Fact]
    public void Headers_that_differ_only_by_whitespace_or_case_are_refused_naming_the_columns_in_csv_and_xlsx()
    {
        var csv = Encoding.UTF8.GetBytes("company,phone, Phone ,email\nWS Header Co,+86 138 0013 8230,,ws@hdr.com\n");
        var xlsx = Workbook(["company", "phone", "phone ", "email"], ["WS Header Co", "+86 138 0013 8230", "", "ws@hdr.com"]);

        Assert.Contains("Columns 2 and 3 are both 'phone'", Refusal(csv));
        Assert.Contains("Columns 2 and 3 are both 'phone'", Refusal(xlsx));
    }

    [Fact]
    public void Csv_rows_after_blank_lines_keep_the_numbers_a_spreadsheet_shows()
    {
        var table = Table(Encoding.UTF8.GetBytes("company,email\nRowTwo Co,ok2@x.cn\n\n\nRowFive Co,BAD-EMAIL\n\"Row\nSix Co\",ok6@x.cn\nRowSeven Co,ok7@x.cn\n"));

        Assert.Equal([2, 5, 6, 7], table.Rows.Select(r => r.Number));
        Assert.Equal("Row\nSix Co", Cell(table, 2, "company"));
    }

    [Fact]
    public void A_header_row_repeated_inside_the_file_is_a_rejected_row_not_a_customer()
    {
        // Two exports pasted into one file: the second part's header is no lead named "公司名称" with e-mail "邮箱".
        var csv = Encoding.UTF8.GetBytes("公司名称,手机,邮箱\n杭州联合科技有限公司,13900001001,zw@lianhe.cn\n" +
            "公司名称 ,手机,邮箱,\n北京华信贸易有限公司,13900001002,ln@huaxin.cn\n");
        var xlsx = Workbook(["Компания", "Телефон"], ["ООО «Ромашка»", "8 (912) 345-67-89"], ["компания", "ТЕЛЕФОН"], ["АО «Сибирь»", "+7 912 345 67 80"]);

        var fromCsv = Table(csv);
        var fromXlsx = Table(xlsx);

        Assert.Equal([(2, false), (3, true), (4, false)], fromCsv.Rows.Select(r => (r.Number, r.Error is not null)));
        Assert.Contains("repeats the header", fromCsv.Rows[1].Error);
        Assert.Equal([(2, false), (3, true), (4, false)], fromXlsx.Rows.Select(r => (r.Number, r.Error is not null)));
        // A row that only shares a cell or two with the header is data.
        Assert.Null(Table(Encoding.UTF8.GetBytes("company,name\ncompany,Ivan\n")).Rows.Single().Error);
    }

    [Fact]
    public void A_title_row_above_the_columns_is_skipped_and_the_rows_keep_their_spreadsheet_numbers()
    {
        var xlsx = Workbook(["客户导入模板（2026年12月）"], [], ["公司名称", "手机", "邮箱"], ["杭州联合科技有限公司", "13900001001", "zw@lianhe.cn"]);
        var csv = Encoding.UTF8.GetBytes("客户导入模板,,\n公司名称,手机,邮箱\n北京华信贸易有限公司,13900001002,ln@huaxin.cn\n");
        var named = Encoding.UTF8.GetBytes("公司名称\n杭州联合科技有限公司\n");

        var fromXlsx = Table(xlsx);
        var fromCsv = Table(csv);

        Assert.Equal(["公司名称", "手机", "邮箱"], fromXlsx.Headers);
        Assert.Equal((4, "13900001001"), (fromXlsx.Rows.Single().Number, Cell(fromXlsx, 0, "手机")));
        Assert.Equal(["公司名称", "手机", "邮箱"], fromCsv.Headers);
        Assert.Equal((3, "13900001002"), (fromCsv.Rows.Single().Number, Cell(fromCsv, 0, "手机")));
        // A lone column that names a field is the header, not a title.
        Assert.Equal(["公司名称"], Table(named).Headers);
    }

    [Fact]
    public void A_title_line_without_separators_above_a_semicolon_header_is_skipped()
    {
        var table = Table(Encoding.UTF8.GetBytes("客户导入模板（请勿修改表头）\n公司名称;联系人;手机;邮箱\n北京华信贸易有限公司;李娜;13900001002;ln@huaxin.cn\n"));

        Assert.Equal(["公司名称", "联系人", "手机", "邮箱"], table.Headers);
        Assert.Equal(("13900001002", 3), (Cell(table, 0, "手机"), table.Rows.Single().Number));
    }

    [Fact]
    public void A_quote_that_swallows_the_next_rows_rejects_its_row_naming_the_quote_while_a_multi_line_address_is_kept()
    {
        var table = Table(Encoding.UTF8.GetBytes(
            "Компания;Контакт;Телефон;Адрес\n" +
            "ООО Альфа;Анна;+7 912 000-00-11;г. Пермь\n" +
            "\"ООО Тета;Борис;+7 912 000-00-22;г. Омск\n" +
            "ООО Йота;Вера;+7 912 000-00-33;г. Тула\n" +
            "ООО Каппа\";Глеб;+7 912 000-00-44;г. Уфа\n" +
            "ООО Лямбда;Дина;+7 912 000-00-55;\"г. Казань,\nул. Баумана, д. 1\"\n"));

        Assert.Equal([2, 3, 4], table.Rows.Select(r => r.Number)); // as a spreadsheet shows them: the swallowed lines are in row 3
        Assert.Null(table.Rows[0].Error);
        Assert.Contains("quote", table.Rows[1].Error);
        Assert.Contains("'Компания'", table.Rows[1].Error);
        Assert.Null(table.Rows[2].Error); // a quoted address over two lines is an address
        Assert.Equal("г. Казань,\nул. Баумана, д. 1", Cell(table, 2, "Адрес"));
    }

    [Fact]
    public void Phone_and_address_headers_of_everyday_exports_are_recognised_and_columns_no_field_takes_are_named()
    {
        var (zh, _) = ColumnMapping.Resolve(["客户名称", "联系人", "电话号码", "联系地址", "微信"], null);
        var (ru, _) = ColumnMapping.Resolve(["Компания", "Тел.", "Эл.почта", "Почтовый адрес", "Комментарий"], null);
        var (en, _) = ColumnMapping.Resolve(["Company", "Contact", "Street Address", "Lead Source"], null);

        Assert.Equal(("电话号码", "联系地址"), (Fields(zh)["phone"], Fields(zh)["address"]));
        Assert.Equal(["微信"], zh.Ignored);
        Assert.Equal(("Тел.", "Эл.почта", "Почтовый адрес"), (Fields(ru)["phone"], Fields(ru)["email"], Fields(ru)["address"]));
        Assert.Equal(["Комментарий"], ru.Ignored);
        Assert.Equal(("Street Address", "Lead Source"), (Fields(en)["address"], Fields(en)["source"]));
        Assert.Empty(en.Ignored);
    }

    [Fact]
    public void Quotes_inside_a_cell_are_text_and_a_repeated_column_that_feeds_no_field_is_read_once()
    {
        var table = Table(Encoding.UTF8.GetBytes("company,备注,phone,备注\nAcme \"Big\" Corp,first,13900001003,second\n" + new string('"', 200_000).Insert(0, "x") + ",,,\n"));

        Assert.Equal(["company", "备注", "phone"], table.Headers);
        Assert.Equal(("Acme \"Big\" Corp", "first"), (Cell(table, 0, "company"), Cell(table, 0, "备注")));
        Assert.Equal(200_001, Cell(table, 1, "company")!.Length);
    }

    [Fact]
    public void A_file_labelled_utf8_that_is_gb18030_is_read_as_chinese_and_tab_title_rows_keep_their_separator()
    {
        var gb = Encoding.GetEncoding("GB18030").GetBytes(Chinese);
        var (fromLabel, error) = ImportTable.Read(gb, Limits, "utf-8");
        var tabs = Table(Encoding.UTF8.GetBytes("客户导入模板\t\t\n公司名称\t手机\t邮箱\n杭州联合科技有限公司\t13900001001\tzw@lianhe.cn\n"));

        Assert.True(fromLabel is not null, error);
        Assert.Equal("杭州联合科技有限公司", Cell(fromLabel!, 0, "公司名称"));
        Assert.Equal(["公司名称", "手机", "邮箱"], tabs.Headers);
        Assert.Equal("13900001001", Cell(tabs, 0, "手机"));
    }

    [Fact]
    public void A_one_column_file_keeps_commas_and_semicolons_in_its_cells()
    {
        var table = Table(Encoding.UTF8.GetBytes("Компания\nООО Ястреб, филиал Омск\nООО Орёл; Новосибирск\n"));

        Assert.Equal(["Компания"], table.Headers);
        Assert.Equal(["ООО Ястреб, филиал Омск", "ООО Орёл; Новосибирск"], table.Rows.Select(r => r.Cells["Компания"]));
    }

    [Fact]
    public void Common_chinese_and_russian_headers_are_recognised_after_normalising_them()
    {
        var (zh, zhErrors) = ColumnMapping.Resolve(["*公司名称 ", "＊手机号码：", "电子邮件", "联系人姓名", "客户来源", "详细地址", "纳税人识别号"], null);
        var (ru, ruErrors) = ColumnMapping.Resolve(["Наименование организации", "ФИО", "Мобильный  телефон", "Эл. почта", "ИНН организации", "Юридический адрес"], null);

        Assert.Empty(zhErrors);
        Assert.Equal(["address", "company", "email", "name", "phone", "source", "taxId"], Fields(zh).Keys.Order());
        Assert.Equal("＊手机号码：", Fields(zh)["phone"]);
        Assert.Empty(ruErrors);
        Assert.Equal("Мобильный  телефон", Fields(ru)["phone"]);
        Assert.Equal("Наименование организации", Fields(ru)["company"]);
        Assert.Equal("ФИО", Fields(ru)["name"]);
        Assert.Equal("Эл. почта", Fields(ru)["email"]);
        Assert.Equal("ИНН организации", Fields(ru)["taxId"]);
    }

    /// <summary>
    /// A second CSV appended to the first brings its byte-order mark to the start of a line: the cell after it is read
    /// as written (a quoted cell stays one cell), and headers with invisible characters are still recognised.
    /// </summary>
    [Fact]
    public void A_byte_order_mark_inside_a_csv_is_no_part_of_a_cell_and_invisible_characters_do_not_hide_a_header()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. "公司名称,手机\r\n杭州联合科技有限公司,13900001001\r\n"u8,
            0xEF, 0xBB, 0xBF, .. "\"北京华信贸易有限公司, 北京\",13900001002\r\n"u8];
        var table = Table(content);
        var (columns, errors) = ColumnMapping.Resolve(["\u200b公司名称\u200e", "\ufeff手机"], null);

        Assert.Equal(["公司名称", "手机"], table.Headers);
        Assert.Equal(["杭州联合科技有限公司", "北京华信贸易有限公司, 北京"], table.Rows.Select(r => r.Cells["公司名称"]));
        Assert.Null(table.Rows[1].Error);
        Assert.Empty(errors);
        Assert.Equal("\u200b公司名称\u200e", Fields(columns)["company"]);
        Assert.Equal("\ufeff手机", Fields(columns)["phone"]);
    }

    [Fact]
    public void Kehu_mingcheng_is_the_company_unless_another_column_is()
    {
        var (alone, _) = ColumnMapping.Resolve(["客户名称", "地址"], null);
        var (withCompany, _) = ColumnMapping.Resolve(["客户名称", "公司名称"], null);

        Assert.Equal("客户名称", Fields(alone).GetValueOrDefault("company"));
        Assert.False(Fields(alone).ContainsKey("name"));
        Assert.Equal("公司名称", Fields(withCompany)["company"]);
        Assert.Equal("客户名称", Fields(withCompany)["name"]);
    }

    [Fact]
    public void A_bitrix24_export_gives_its_work_phone_and_e_mail_and_a_name_split_over_three_columns()
    {
        var table = Table(Encoding.UTF8.GetBytes(
            "Название лида,Имя,Фамилия,Отчество,Рабочий телефон,Рабочий e-mail,Название компании\n" +
            "Заявка с сайта,Иван,Петров,Сергеевич,+7 912 345-67-89,i.petrov@example.ru,ООО Ромашка\n" +
            "Звонок,Анна,,,8 (912) 000-11-22,,ООО Лютик\n"));

        var (columns, errors) = ColumnMapping.Resolve(table.Headers, null);

        Assert.Empty(errors);
        Assert.Equal("Рабочий телефон", Fields(columns)["phone"]);
        Assert.Equal("Рабочий e-mail", Fields(columns)["email"]);
        Assert.Equal("Название компании", Fields(columns)["company"]);
        Assert.Equal("Фамилия + Имя + Отчество", Fields(columns)["name"]);
        Assert.Equal(["Петров Иван Сергеевич", "Анна"], table.Rows.Select(r => columns.Cell(r, "name")));
        Assert.Equal("+7 912 345-67-89", columns.Cell(table.Rows[0], "phone"));
    }

    [Fact]
    public void Split_names_join_as_their_language_writes_them_and_a_whole_name_column_wins()
    {
        var english = Table(Encoding.UTF8.GetBytes("First name,Last name,Company\nJohn,Smith,Acme\n"));
        var chinese = Table(Encoding.UTF8.GetBytes("姓,名,公司名称\n王,小明,北京科技有限公司\n"));
        var whole = Table(Encoding.UTF8.GetBytes("ФИО,Имя,Фамилия\nИванов Иван Иванович,Иван,Иванов\n"));

        Assert.Equal("John Smith", ColumnMapping.Resolve(english.Headers, null).Columns.Cell(english.Rows[0], "name"));
        Assert.Equal("王小明", ColumnMapping.Resolve(chinese.Headers, null).Columns.Cell(chinese.Rows[0], "name"));
        var (wholeColumns, _) = ColumnMapping.Resolve(whole.Headers, null);
        Assert.Equal("ФИО", Fields(wholeColumns)["name"]);
        Assert.Equal("Иванов Иван Иванович", wholeColumns.Cell(whole.Rows[0], "name"));
    }

    [Fact]
    public void Blank_rows_do_not_count_towards_the_row_limit_and_one_data_row_too_many_does()
    {
        var limits = new ImportOptions { MaxRows = 3 };
        var blanks = string.Concat(Enumerable.Repeat(",,\n", 50));
        var (table, error) = ImportTable.Read(Encoding.UTF8.GetBytes($"name,phone,email\nA,,\n{blanks}B,,\nC,,\n{blanks}"), limits);
        var (_, tooMany) = ImportTable.Read(Encoding.UTF8.GetBytes($"name,phone,email\nA,,\nB,,\nC,,\nD,,\n"), limits);

        Assert.Null(error);
        Assert.Equal(["A", "B", "C"], table!.Rows.Select(r => r.Cells["name"]));
        Assert.Contains("more than 3 rows", tooMany);
    }

    [Theory]
    [InlineData("=SUM(A1)")]
    [InlineData("-Minus")]
    [InlineData("'-) smile")]
    [InlineData("'=not a formula")]
    [InlineData("+7 (495) 222-33-44 ext. 12")]
    [InlineData("O'Brien")]
    public void An_exported_cell_imports_as_the_value_it_was(string value) =>
        Assert.Equal(value, ImportColumns.WithoutFormulaGuard(Crm.Server.Api.Exports.ExportsApi.SafeCell(value)));

    /// <summary>Field -> the (first) column it is read from.</summary>
    private static Dictionary<string, string> Fields(ImportColumns columns) => columns.First.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>An XLSX of one sheet: a header row and data rows of inline strings (what MiniExcel cannot write: duplicate headers).</summary>
    internal static byte[] Workbook(params string[][] rows)
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            TestWorkbooks.WritePackage(zip);
            var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            for (var r = 0; r < rows.Length; r++)
            {
                sheet.Append($"<row r=\"{r + 1}\">");
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var text = System.Security.SecurityElement.Escape(rows[r][c]);
                    sheet.Append($"<c r=\"{(char)('A' + c)}{r + 1}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{text}</t></is></c>");
                }

                sheet.Append("</row>");
            }

            TestWorkbooks.Write(zip, "xl/worksheets/sheet1.xml", sheet.Append("</sheetData></worksheet>").ToString());
        }

        return file.ToArray();
    }

}
