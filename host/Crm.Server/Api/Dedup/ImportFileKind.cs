using System.Text;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// Files that are no table at all, told from their first bytes before anything tries to read them as one, so that the
/// answer names what was sent (an image, an old .xls, a form) rather than a missing column.
/// </summary>
public static class ImportFileKind
{
    private static ReadOnlySpan<byte> Png => [0x89, (byte)'P', (byte)'N', (byte)'G'];
    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> Ole2 => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]; // an old .xls (or .doc) compound file
    private static ReadOnlySpan<byte> Utf16Le => [0xFF, 0xFE];
    private static ReadOnlySpan<byte> Utf16Be => [0xFE, 0xFF];

    /// <summary>Why the file is not a CSV or XLSX table, or null when it may be one.</summary>
    /// <param name="charset">The charset the request declared: UTF-16 text without a byte-order mark is fine with one.</param>
    public static string? NotATable(byte[] content, string? charset)
    {
        ReadOnlySpan<byte> start = content;
        if (start.StartsWith(Png))
        {
            return "The file is an image (PNG), not a CSV or XLSX file.";
        }

        if (start.StartsWith(Jpeg))
        {
            return "The file is an image (JPEG), not a CSV or XLSX file.";
        }

        if (start.StartsWith("GIF8"u8))
        {
            return "The file is an image (GIF), not a CSV or XLSX file.";
        }

        if (start.StartsWith("%PDF"u8))
        {
            return "The file is a PDF document, not a CSV or XLSX file.";
        }

        if (start.StartsWith(Ole2))
        {
            return "The file is an old Excel .xls workbook: save it as .xlsx (Excel Workbook) or CSV UTF-8 and send that.";
        }

        if (ImportTable.IsXlsx(content) || start.StartsWith(Utf16Le) || start.StartsWith(Utf16Be))
        {
            return null;
        }

        var head = start[..Math.Min(start.Length, 64 * 1024)];
        if (head.StartsWith("--"u8) && Encoding.ASCII.GetString(head[..Math.Min(head.Length, 1024)]).Contains("Content-Disposition: form-data", StringComparison.OrdinalIgnoreCase))
        {
            return "The body is a multipart form: send the file itself as the body, or as the form's only file with Content-Type multipart/form-data.";
        }

        if (charset?.Trim().StartsWith("utf-16", StringComparison.OrdinalIgnoreCase) == true)
        {
            return null;
        }

        if (head.Count((byte)0) * 4 >= head.Length)
        {
            // Text in UTF-16 has a zero in every other byte where it is ASCII.
            return "The file looks like UTF-16 text without a byte-order mark: save it as CSV UTF-8, or send charset=utf-16le (or utf-16be) in the Content-Type.";
        }

        // Text holds a control character now and then (one in a cell is that cell's problem); random or binary data one
        // byte in ten.
        var controls = 0;
        foreach (var b in head)
        {
            controls += b is < 0x20 and not (byte)'\t' and not (byte)'\r' and not (byte)'\n' ? 1 : 0;
        }

        if (controls * 100 >= head.Length * 3)
        {
            return "The file is not text: it is neither a CSV nor an XLSX workbook.";
        }

        return null;
    }
}
