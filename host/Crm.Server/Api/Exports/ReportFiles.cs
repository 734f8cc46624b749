using System.Globalization;
using System.Text;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace Crm.Server.Api.Exports;

/// <summary>
/// A report as a file: CSV (RFC 4180) or XLSX, text cells neutralised so a spreadsheet runs no formula
/// (<see cref="ExportsApi.SafeCell"/>), numbers as numbers; audited like every export (<c>report.exported</c>).
/// </summary>
internal static class ReportFiles
{
    public static async Task<FileContentHttpResult> WriteAsync(string report, string format, string fileName, IReadOnlyList<object?[]> rows, string[] columns,
        HttpContext http, AuditLog audit, Dictionary<string, string?> details)
    {
        details["format"] = format;
        details["rows"] = rows.Count.ToString(CultureInfo.InvariantCulture);
        await audit.WriteAsync(http.User.ToActor().UserId, AuditLog.Actions.ReportExported, "report", report, details);
        if (format == "csv")
        {
            var csv = new StringBuilder().AppendLine(string.Join(',', columns));
            foreach (var row in rows)
            {
                csv.AppendLine(string.Join(',', row.Select(cell => cell switch
                {
                    null => "",
                    string text => ExportsApi.Csv(text),
                    IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                    _ => ExportsApi.Csv(cell.ToString()),
                })));
            }

            // With the byte-order mark, as every CSV export: Excel reads one without it in the system's code page.
            var utf8 = new UTF8Encoding(true);
            return TypedResults.File([.. utf8.GetPreamble(), .. utf8.GetBytes(csv.ToString())], FileAnswers.CsvUtf8, fileName + ".csv");
        }

        var sheet = rows.Select(row => columns.Select((c, i) => (c, row[i] is string text ? ExportsApi.SafeCell(text) : row[i]))
            .ToDictionary(x => x.c, x => x.Item2)).ToList();
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: report);
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName + ".xlsx");
    }
}
