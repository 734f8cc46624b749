namespace Crm.Server.Api.FieldWork;

/// <summary>
/// Tells an upload's type from its first bytes, never from the name or the header the client sent: visit photos are
/// JPEG, PNG, WebP or HEIC, anything else is refused.
/// </summary>
public static class FileSniffer
{
    public static readonly string[] Accepted = ["image/jpeg", "image/png", "image/webp", "image/heic"];

    public static string? ContentTypeOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        // ISO base media: a 'ftyp' box at offset 4 whose brand is one of HEIF's.
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)
            && (head[8..12].SequenceEqual("heic"u8) || head[8..12].SequenceEqual("heix"u8) || head[8..12].SequenceEqual("mif1"u8)))
        {
            return "image/heic";
        }

        return null;
    }
}
