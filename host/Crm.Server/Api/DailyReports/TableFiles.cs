using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Crm.Server.Api.DailyReports;

/// <summary>
/// A table as a CSV or an XLSX file. Text that a spreadsheet would run as a formula (a leading = + - @, or a tab or
/// carriage return before one) is prefixed with ' in CSV; in XLSX every text is an inline string cell, which a
/// spreadsheet never evaluates, and numbers are number cells.
/// </summary>
public static class TableFiles
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Csv(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(CsvCell)).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(v => v is string s ? CsvCell(s) : Number(v))).Append("\r\n");
        }

        return new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
    }

    /// <summary>RFC 4180 quoting, after neutralising anything a spreadsheet would take for a formula.</summary>
    public static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value.TrimStart(' ', '\t', '\r', '\n') is { Length: > 0 } start && start[0] is '=' or '+' or '-' or '@' || value[0] is '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    public static byte[] Xlsx(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<object?>> rows, string sheetName)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
                """);
            Entry(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Entry(zip, "xl/workbook.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{Xml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>
                """);
            Entry(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """);
            var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""");
            sheet.Append("""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            Row(sheet, 1, header.Cast<object?>().ToList());
            for (var i = 0; i < rows.Count; i++)
            {
                Row(sheet, i + 2, rows[i]);
            }

            sheet.Append("</sheetData></worksheet>");
            Entry(zip, "xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return buffer.ToArray();
    }

    private static void Row(StringBuilder sheet, int number, IReadOnlyList<object?> cells)
    {
        sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{number}\">");
        for (var c = 0; c < cells.Count; c++)
        {
            var reference = Column(c) + number.ToString(CultureInfo.InvariantCulture);
            switch (cells[c])
            {
                case null:
                    break;
                case string s:
                    sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{Xml(s)}</t></is></c>");
                    break;
                default:
                    sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{Number(cells[c])}</v></c>");
                    break;
            }
        }

        sheet.Append("</row>");
    }

    private static string Number(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Column(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + (index - 1) % 26) + name;
        }

        return name;
    }

    /// <summary>Escaped for XML, without the control characters XML 1.0 cannot carry.</summary>
    private static string Xml(string text) =>
        SecurityElement.Escape(new string(text.Where(ch => ch is '\t' or '\n' or '\r' || (ch >= ' ' && ch != '\uFFFE' && ch != '\uFFFF')).ToArray()))!;

    private static void Entry(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
