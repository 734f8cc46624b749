using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// The rows of an uploaded CSV or XLSX file as header -> cell text. CSV may be UTF-8 (with or without BOM) or
/// GB18030 (what Excel writes on Chinese Windows); its delimiter (comma, semicolon, tab) is detected.
/// </summary>
public sealed record ImportTable(IReadOnlyList<string> Headers, IReadOnlyList<ImportTable.Row> Rows)
{
    /// <summary>A data row with its number in the file as a spreadsheet shows it (the header is row 1); blank rows are skipped.</summary>
    public sealed record Row(int Number, IReadOnlyDictionary<string, string?> Cells);

    static ImportTable() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static bool IsXlsx(byte[] content) => content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;

    /// <summary>Reads the file within <paramref name="limits"/>, or answers why it cannot be read.</summary>
    public static (ImportTable? Table, string? Error) Read(byte[] content, ImportOptions limits)
    {
        try
        {
            if (IsXlsx(content) && WorkbookBounds.Check(content, limits) is { } tooBig)
            {
                return (null, tooBig);
            }

            var table = IsXlsx(content) ? ReadXlsx(content, limits.MaxRows) : ReadCsv(content, limits.MaxRows);
            return table is null ? (null, $"The file has more than {limits.MaxRows} rows; split it.") : (table, null);
        }
        catch (Exception ex) when (ex is CsvFormatException or InvalidDataException or InvalidOperationException or FormatException or IOException)
        {
            return (null, $"The file is neither a readable CSV nor an XLSX workbook: {ex.Message}");
        }
    }

    /// <summary>Null when the file has more than <paramref name="maxRows"/> rows (reading stops there).</summary>
    private static ImportTable? ReadCsv(byte[] content, int maxRows)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.GetEncoding("GB18030").GetString(content);
        }

        // The separator (comma, semicolon, tab) is detected from the first lines.
        using var csv = CsvReader.FromText(text, new CsvReaderOptions { HasHeader = true, TrimWhitespace = true });
        var headers = csv.Headers.Select(h => h.Trim()).ToList();
        var rows = new List<Row>();
        var number = 1;
        foreach (var record in csv)
        {
            if (++number > maxRows + 1)
            {
                return null;
            }

            var row = new Dictionary<string, string?>();
            for (var i = 0; i < headers.Count; i++)
            {
                row[headers[i]] = i < record.FieldCount ? record.GetString(i) : null;
            }

            if (row.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            {
                rows.Add(new Row(number, row));
            }
        }

        return new ImportTable(headers, rows);
    }

    private static ImportTable? ReadXlsx(byte[] content, int maxRows)
    {
        using var stream = new MemoryStream(content);
        var rows = new List<Row>();
        List<string>? headers = null;
        var number = 1;
        // Query streams the sheet row by row; reading stops at the bound.
        foreach (IDictionary<string, object?> record in MiniExcel.Query(stream, useHeaderRow: true))
        {
            if (++number > maxRows + 1)
            {
                return null;
            }

            headers ??= record.Keys.Select(k => k.Trim()).ToList();
            var cells = record.ToDictionary(kv => kv.Key.Trim(), kv => Cell(kv.Value));
            if (cells.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            {
                rows.Add(new Row(number, cells));
            }
        }

        return new ImportTable(headers ?? [], rows);
    }

    private static string? Cell(object? value) => value switch
    {
        null => null,
        double d => d.ToString("0.############", CultureInfo.InvariantCulture), // phones typed as numbers lose no digits
        DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
