using System.Text;

namespace Crm.Grains.Storage;

/// <summary>
/// Text already encoded as UTF-8 (an event's JSON, serialized straight to bytes): SQLite stores it as it is (its text is
/// UTF-8), other databases get the string. An event serialized to a .NET string was the largest allocation of an import
/// (two bytes a character), and SQLite then translated it back to UTF-8.
/// </summary>
public sealed class Utf8Text(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public static implicit operator Utf8Text(string text) => new(Encoding.UTF8.GetBytes(text));

    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}
