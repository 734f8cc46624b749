using System.Text;
using Orleans.Storage;

namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// Where a grain's state lives in the OrleansStorage table: the same columns and hashes Orleans' ADO.NET
/// provider uses, so either provider reads the rows the other wrote and the two can be swapped by configuration.
/// </summary>
public sealed record GrainRowKey(int GrainIdHash, long N0, long N1, int GrainTypeHash, string GrainType, string? Extension, string ServiceId)
{
    private static readonly OrleansDefaultHasher Hasher = new();

    /// <param name="stateName">The state's name (<c>[PersistentState("customer")]</c>), stored as the grain type.</param>
    public static GrainRowKey For(GrainId grainId, string stateName, string serviceId)
    {
        long n0 = 0, n1 = 0;
        string? extension;
        byte[]? keyBytes = null;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            keyBytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(keyBytes, 0);
            n1 = BitConverter.ToInt64(keyBytes, 8);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n1 = integer;
            keyBytes = BitConverter.GetBytes(integer);
        }
        else
        {
            extension = grainId.Key.ToString();
        }

        // Hash input as the ADO.NET provider builds it: key bytes, then the UTF-8 extension, reversed on
        // little-endian machines.
        var extensionBytes = extension is null ? [] : Encoding.UTF8.GetBytes(extension);
        var hashInput = keyBytes is null ? extensionBytes : [.. keyBytes, .. extensionBytes];
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(hashInput);
        }

        return new GrainRowKey(Hasher.Hash(hashInput), n0, n1, Hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName, extension, serviceId);
    }
}
