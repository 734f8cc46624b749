using System.Security.Cryptography;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Composition;
using Dapper;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.FieldWork;

/// <summary>
/// Uploaded files: the bytes under <c>&lt;data dir&gt;/files/</c> (written to a temporary name, then moved, so a crash
/// never leaves half a photo under its id), the row in <c>files</c>. A file belongs to its uploader until a visit links it.
/// </summary>
public sealed class FileStore(CrmDatabase database, IConfiguration configuration, IOptions<FieldWorkOptions> options, TimeProvider clock)
{
    private readonly string _directory = Path.GetFullPath(Path.Combine(StorageComposition.StorageOptionsOf(configuration).DataDirectory, "files"));

    private sealed record FileRow(string Id, string UploaderId, string ContentType, long SizeBytes, string Sha256, long CreatedMs, string? VisitId, string? CustomerId)
    {
        public FileDto ToDto() => new(Id, ContentType, SizeBytes, Sha256, UnixTime.FromMs(CreatedMs), VisitId);
    }

    public int MaxBytes => options.Value.MaxFileBytes;

    /// <summary>Stores an upload, or answers the field error: empty, too large, or not an accepted image.</summary>
    public async Task<Result<FileDto>> SaveAsync(Stream body, string uploaderId, CancellationToken cancel)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancel)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                return CrmError.Invalid("file", $"A file may have at most {MaxBytes} bytes.");
            }
        }

        var bytes = buffer.ToArray();
        if (bytes.Length == 0)
        {
            return CrmError.Invalid("file", "The file is empty.");
        }

        if (FileSniffer.ContentTypeOf(bytes) is not { } contentType)
        {
            return CrmError.Invalid("file", $"Only images are accepted ({string.Join(", ", FileSniffer.Accepted)}), told by their content.");
        }

        var row = new FileRow(Guid.NewGuid().ToString("N"), uploaderId, contentType, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)),
            UnixTime.ToMs(clock.GetUtcNow()), null, null);
        Directory.CreateDirectory(_directory);
        var temporary = PathOf(row.Id) + ".part";
        await File.WriteAllBytesAsync(temporary, bytes, cancel);
        File.Move(temporary, PathOf(row.Id), overwrite: true);

        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO files (id, uploader_id, content_type, size_bytes, sha256, created_ms, visit_id, customer_id)
            VALUES (@Id, @UploaderId, @ContentType, @SizeBytes, @Sha256, @CreatedMs, NULL, NULL)
            """, row);
        return row.ToDto();
    }

    /// <summary>Whether every id is a file of <paramref name="uploaderId"/> not yet linked to a visit.</summary>
    public async Task<bool> AreFreeAsync(IReadOnlyList<string> ids, string uploaderId)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return true;
        }

        var args = new DynamicParameters(new { uploaderId });
        var inList = SqlIn.List("id", distinct, args, "f");
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM files WHERE {inList} AND uploader_id = @uploaderId AND visit_id IS NULL", args) == distinct.Count;
    }

    /// <summary>A file's record with the customer it is linked to (null while unlinked) and its uploader.</summary>
    public async Task<(FileDto File, string UploaderId, Guid? CustomerId)?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<FileRow>("""
            SELECT id AS Id, uploader_id AS UploaderId, content_type AS ContentType, size_bytes AS SizeBytes, sha256 AS Sha256,
                   created_ms AS CreatedMs, visit_id AS VisitId, customer_id AS CustomerId
            FROM files WHERE id = @id
            """, new { id });
        return row is null ? null : (row.ToDto(), row.UploaderId, row.CustomerId is { } c ? Guid.Parse(c) : null);
    }

    public Stream OpenRead(string id) => File.OpenRead(PathOf(id));

    // Ids are server-made hex GUIDs; the check keeps any other string out of the path.
    private string PathOf(string id) =>
        id.Length == 32 && id.All(char.IsAsciiHexDigitLower) ? Path.Combine(_directory, id) : throw new ArgumentException("Not a file id.", nameof(id));
}
