using System.IO.Compression;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// An XLSX file is a zip: before any of it is parsed, its entries are counted and what they decompress to is bounded
/// (<see cref="ImportOptions"/>), so a small file that inflates to gigabytes (a zip bomb) is refused at a bounded cost.
/// </summary>
public static class WorkbookBounds
{
    /// <summary>Why the workbook is refused, or null.</summary>
    public static string? Check(byte[] content, ImportOptions limits)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        if (zip.GetEntry("xl/workbook.xml") is null)
        {
            return "The file is a zip archive but not an XLSX workbook (it holds no xl/workbook.xml).";
        }

        if (zip.Entries.Count > limits.MaxXlsxEntries)
        {
            return $"The workbook holds {zip.Entries.Count} parts; at most {limits.MaxXlsxEntries} are accepted.";
        }

        var tooLarge = $"The workbook decompresses to more than {limits.MaxXlsxDecompressedBytes} bytes; split it.";
        if (zip.Entries.Sum(e => e.Length) > limits.MaxXlsxDecompressedBytes)
        {
            return tooLarge;
        }

        // The sizes above are what the file declares; a crafted file may lie, so count what really comes out.
        var inflated = 0L;
        var buffer = new byte[64 * 1024];
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                inflated += read;
                if (inflated > limits.MaxXlsxDecompressedBytes)
                {
                    return tooLarge;
                }
            }
        }

        return null;
    }
}
