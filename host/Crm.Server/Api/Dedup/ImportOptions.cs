using System.ComponentModel.DataAnnotations;

namespace Crm.Server.Api.Dedup;

/// <summary>Bounds of a customer import (<c>Crm:Import</c>): what one file may cost the server.</summary>
public sealed class ImportOptions
{
    public const string Section = "Crm:Import";

    /// <summary>The largest file (request body), in bytes.</summary>
    [Range(1024, 1024L * 1024 * 1024)] public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The most data rows of one file.</summary>
    [Range(1, 1_000_000)] public int MaxRows { get; set; } = 100_000;

    /// <summary>
    /// Rows decided, stored and indexed together (<see cref="BatchImporter"/>): one index call per shard and one
    /// transaction per batch. False <see cref="Batched"/> imports row by row through the customer grains instead.
    /// </summary>
    [Range(1, 20_000)] public int BatchRows { get; set; } = 1_000;

    /// <summary>Imports in batches, answering the rows as a stream (the default); false: the row-by-row importer, one JSON answer.</summary>
    public bool Batched { get; set; } = true;

    /// <summary>The most entries (files) an XLSX workbook may hold.</summary>
    [Range(4, 10_000)] public int MaxXlsxEntries { get; set; } = 100;

    /// <summary>The most bytes an XLSX workbook may decompress to, all entries together.</summary>
    [Range(1024, 4L * 1024 * 1024 * 1024)] public long MaxXlsxDecompressedBytes { get; set; } = 200 * 1024 * 1024;
}
