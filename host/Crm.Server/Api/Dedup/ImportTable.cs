using System.Globalization;
using System.Text;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// The rows of an uploaded CSV or XLSX file as header -> cell text. The CSV's encoding is told by
/// <see cref="ImportEncoding"/>; its separator (comma, semicolon, tab) is the one its header line holds, and a header
/// line without any is one column. Rows are numbered as a spreadsheet shows them (the header is row 1).
/// </summary>
public sealed record ImportTable(IReadOnlyList<string> Headers, IReadOnlyList<ImportTable.Row> Rows)
{
    /// <summary>
    /// A data row with its number in the file as a spreadsheet shows it; blank rows are skipped (but counted). A row
    /// that cannot be read as the header's columns carries its <paramref name="Error"/> and is rejected.
    /// </summary>
    public sealed record Row(int Number, IReadOnlyDictionary<string, string?> Cells, string? Error = null);

    public static bool IsXlsx(byte[] content) => content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;

    /// <summary>Reads the file within <paramref name="limits"/>, or answers why it cannot be read.</summary>
    /// <param name="charset">The charset of the request's Content-Type, if it gave one.</param>
    public static (ImportTable? Table, string? Error) Read(byte[] content, ImportOptions limits, string? charset = null)
    {
        try
        {
            if (ImportFileKind.NotATable(content, charset) is { } notATable)
            {
                return (null, notATable);
            }

            if (IsXlsx(content))
            {
                return WorkbookBounds.Check(content, limits) is { } tooBig ? (null, tooBig) : Build(XlsxRecords(content), limits.MaxRows);
            }

            var (text, error) = ImportEncoding.Decode(content, charset);
            if (text is null)
            {
                return (null, error);
            }

            var separator = SeparatorOf(text);
            return Build(CsvRecords(text, separator), limits.MaxRows, separator);
        }
        // Whatever a crafted or broken file makes a reader throw is the file's fault: a 400, never a 500.
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            return (null, $"The file is neither a readable CSV nor an XLSX workbook: {ex.Message}");
        }
    }

    /// <summary>The header (the first row that is not blank) and the data rows after it, numbered from the file's first row.</summary>
    /// <param name="separator">A CSV file's separator (null for a workbook): a cell whose later lines read as rows of the file is refused.</param>
    private static (ImportTable? Table, string? Error) Build(IEnumerable<string?[]> records, int maxRows, char? separator = null)
    {
        string[]? header = null;
        string[] headerCells = [];
        var headerNumber = 0;
        var names = new List<string>();
        var rows = new List<Row>();
        var number = 0;
        foreach (var record in records)
        {
            number++;
            var filled = Array.FindLastIndex(record, c => !string.IsNullOrWhiteSpace(c)) + 1;
            if (header is not null && rows.Count == 0 && IsTitle(header) && filled >= 2)
            {
                // The "header" was a title ("客户导入模板" above the columns, as import templates have): this row is the header.
                header = null;
            }

            if (header is null)
            {
                if (filled == 0)
                {
                    continue;
                }

                (header, headerNumber) = (record.Select(h => h?.Trim() ?? "").ToArray(), number);
                headerCells = header;
                if (Duplicated(header) is { } duplicated)
                {
                    return (null, duplicated);
                }

                // A name repeated that feeds no field (two 备注 columns) is read from its first column only.
                header = header.Select((h, i) => header.Take(i).Contains(h, StringComparer.OrdinalIgnoreCase) ? "" : h).ToArray();
                names = header.Where(h => h.Length > 0).ToList();
                continue;
            }

            // Blank rows are skipped and not counted: a workbook's formatted empty rows far below the data are no rows.
            if (filled == 0)
            {
                continue;
            }

            if (rows.Count == maxRows)
            {
                return (null, $"The file has more than {maxRows} rows; split it.");
            }

            var cells = new Dictionary<string, string?>();
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i].Length > 0)
                {
                    cells[header[i]] = i < record.Length ? record[i] : null;
                }
            }

            // Cells past the header's columns are data that belongs nowhere: most often a separator in a cell that was not
            // quoted, which shifted the row. Empty ones are common in Excel's exports and harmless.
            var error = filled > header.Length
                ? $"Row {number} has {filled} cells where the header has {header.Length}: a cell likely holds an unquoted separator; quote it or remove the extra cells."
                : RepeatsHeader(record, headerCells)
                    ? $"Row {number} repeats the header row (two files joined into one?): it is no customer and was not imported."
                    : SwallowedRows(record, header, separator) is { } column
                        ? $"Row {number}: the cell of '{column}' runs over several lines that read as rows of the file: a quote (\") in it likely opens a cell that closes only lines later. Neither this row nor those lines were imported; fix the quote and import them again."
                        : null;
            rows.Add(new Row(number, cells, error));
        }

        return (new ImportTable(names, rows), null);
    }

    /// <summary>
    /// The column of a quoted cell whose later lines each hold a row's worth of separators: rows of the file swallowed by a
    /// quote that was not closed where meant (a multi-line address holds a comma or two, not a whole row's).
    /// </summary>
    private static string? SwallowedRows(string?[] record, string[] header, char? separator)
    {
        if (separator is not { } s || header.Length < 3)
        {
            return null;
        }

        for (var i = 0; i < record.Length && i < header.Length; i++)
        {
            if (record[i] is { } cell && cell.Contains('\n')
                && cell.Split('\n').Skip(1).Any(line => line.Count(c => c == s) >= header.Length - 1))
            {
                return header[i];
            }
        }

        return null;
    }

    /// <summary>The header's cells once more (trimmed, any case): files exported in parts and pasted together carry one each.</summary>
    private static bool RepeatsHeader(string?[] record, string[] header) =>
        Enumerable.Range(0, Math.Max(record.Length, header.Length))
            .All(i => string.Equals(i < record.Length ? record[i]?.Trim() ?? "" : "", i < header.Length ? header[i] : "", StringComparison.OrdinalIgnoreCase));

    /// <summary>One filled cell that names no field: a title above the header, when the next row has columns.</summary>
    private static bool IsTitle(string[] header) => header.Count(h => h.Length > 0) == 1 && !ColumnMapping.IsKnown(header.First(h => h.Length > 0));

    /// <summary>
    /// "Columns 2 and 3 are both 'phone'…" for the first header that names a field and is named twice (trimmed, any case),
    /// or null: which of the two the user meant cannot be told.
    /// </summary>
    private static string? Duplicated(string[] header)
    {
        var twice = header.Select((name, i) => (Name: name, Column: i + 1)).Where(h => h.Name.Length > 0 && ColumnMapping.IsKnown(h.Name))
            .GroupBy(h => h.Name.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1);
        if (twice is null)
        {
            return null;
        }

        var columns = twice.Select(h => h.Column).ToList();
        return $"Columns {string.Join(", ", columns[..^1])} and {columns[^1]} are {(columns.Count == 2 ? "both" : "all")} '{twice.First().Name}'; rename or remove one.";
    }

    /// <summary>
    /// The records of CSV text, a blank line being one (a spreadsheet shows it as a row) and a quoted cell's line
    /// breaks staying in the cell (one row in a spreadsheet too). Cells are trimmed.
    /// </summary>
    private static IEnumerable<string?[]> CsvRecords(string text, char? separator)
    {
        var fields = new List<string?>();
        var cell = new StringBuilder();
        var cellHasText = false; // whether the cell so far holds more than white space: a quote then is text
        var quoted = false;
        var records = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    cell.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && !cellHasText)
            {
                // A quote opens a quoted cell only at the cell's start; elsewhere it is text.
                cell.Clear();
                quoted = true;
                cellHasText = true;
            }
            else if (c == separator)
            {
                fields.Add(cell.ToString().Trim());
                cell.Clear();
                cellHasText = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(cell.ToString().Trim());
                cell.Clear();
                cellHasText = false;
                records++;
                yield return fields.ToArray();
                fields.Clear();
            }
            else
            {
                cell.Append(c);
                cellHasText |= !char.IsWhiteSpace(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"row {records + 1} opens a quote that is never closed.");
        }

        if (cell.Length > 0 || fields.Count > 0)
        {
            fields.Add(cell.ToString().Trim());
            yield return fields.ToArray();
        }
    }

    /// <summary>
    /// The comma, semicolon or tab the header line (the first line that is not blank) holds most of, outside quotes; when
    /// it holds none and names no field, the next line's (a title such as 客户导入模板 above the header has no separator);
    /// none: one column.
    /// </summary>
    private static char? SeparatorOf(string text)
    {
        var lines = 0;
        for (var start = 0; start < text.Length && lines < 2;)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end;
            // Blank when only white space; counted as it is (an Excel title row's trailing tabs are separators).
            if (!text.AsSpan(start, end - start).IsWhiteSpace())
            {
                lines++;
                if (SeparatorIn(text.AsSpan(start, end - start)) is { } separator)
                {
                    return separator;
                }

                if (ColumnMapping.IsKnown(text[start..end].Trim().Trim('"')))
                {
                    return null; // a one-column file whose header names a field: its cells may hold commas
                }
            }

            start = end + 1;
        }

        return null;
    }

    private static char? SeparatorIn(ReadOnlySpan<char> line)
    {
        var (commas, semicolons, tabs) = (0, 0, 0);
        var quoted = false;
        foreach (var c in line)
        {
            quoted ^= c == '"';
            if (!quoted)
            {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }

        var most = Math.Max(commas, Math.Max(semicolons, tabs));
        return most == 0 ? null : commas == most ? ',' : semicolons == most ? ';' : '\t';
    }

    /// <summary>The sheet's rows as cell texts, the header row included; blank rows come as rows of empty cells.</summary>
    private static IEnumerable<string?[]> XlsxRecords(byte[] content)
    {
        using var stream = new MemoryStream(content);
        // Query streams the sheet row by row; reading stops where the caller stops (the row bound).
        foreach (IDictionary<string, object?> record in MiniExcel.Query(stream, useHeaderRow: false))
        {
            yield return record.Values.Select(Cell).ToArray();
        }
    }

    private static string? Cell(object? value) => value switch
    {
        null => null,
        double d => d.ToString("0.############", CultureInfo.InvariantCulture), // phones typed as numbers lose no digits
        DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim(),
    };
}
