using System.Globalization;
using System.Runtime.InteropServices;
using Crm.Grains.Storage;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// Grain storage that hands every write to the database's one group-commit writer
/// (<see cref="SqlBatchWriter"/>): many grain writes share one transaction, and each grain's call completes
/// after the commit that carried its write. Reads run on their own pooled connections on the thread pool.
/// No database work runs on an Orleans scheduler thread.
/// </summary>
/// <remarks>
/// Rows live in Orleans' own OrleansStorage table with its keys, hashes and version numbers, and the state
/// is serialized with the same serializer the ADO.NET provider is given, so either provider reads the
/// other's rows. Optimistic concurrency is kept: a write whose ETag is stale fails with
/// <see cref="InconsistentStateException"/>, and only that write fails.
/// </remarks>
public sealed class GroupCommitGrainStorage(
    string name,
    string serviceId,
    CrmDatabase database,
    SqlBatchWriter writer,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators) : IGrainStorage
{
    private readonly GrainStateSql _sql = new(database.Provider);
    private readonly GrainStateWrites _writes = new(database);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainRowKey.For(grainId, stateName, serviceId);
        var (payload, version) = await Task.Run(() => ReadRowAsync(key));
        grainState.State = payload is null ? activators.GetActivator<T>().Create() : serializer.Deserialize<T>(new BinaryData(payload))!;
        grainState.ETag = version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainRowKey.For(grainId, stateName, serviceId);
        var payload = Bytes(serializer.Serialize(grainState.State));
        var version = await CommitAsync(new GrainStateWrite(key, ExpectedVersion(grainState.ETag), payload), "write", grainId, grainState.ETag);
        grainState.ETag = version;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!grainState.RecordExists && string.IsNullOrEmpty(grainState.ETag))
        {
            await ReadStateAsync(stateName, grainId, grainState);
            if (!grainState.RecordExists)
            {
                return;
            }
        }

        // The row stays with a NULL payload so that its version keeps rising.
        var key = GrainRowKey.For(grainId, stateName, serviceId);
        var version = await CommitAsync(new GrainStateWrite(key, ExpectedVersion(grainState.ETag) ?? 0, null), "clear", grainId, grainState.ETag);
        grainState.ETag = version;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    private async Task<string> CommitAsync(GrainStateWrite write, string operation, GrainId grainId, string? etag)
    {
        var version = await writer.WriteAsync(_writes, write);
        return version?.ToString(CultureInfo.InvariantCulture) ?? throw new InconsistentStateException(
            $"Version conflict ({operation}): storage '{name}', state '{write.Key.GrainType}' of grain {grainId}: the stored version is not ETag '{etag}'.");
    }

    private async Task<(byte[]? Payload, int? Version)> ReadRowAsync(GrainRowKey key)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = _sql.Read;
        GrainStateWrites.BindKey(command, key);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return (null, null);
        }

        var payload = reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0);
        int? version = reader.IsDBNull(1) ? null : Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        return (payload, version);
    }

    /// <summary>The serialized state's own array when it is exactly that (the usual case), to save a copy per write.</summary>
    private static byte[] Bytes(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment is { Offset: 0, Array: { } array } && segment.Count == array.Length
            ? array
            : data.ToArray();

    private static int? ExpectedVersion(string? etag) =>
        string.IsNullOrEmpty(etag) ? null : int.Parse(etag, CultureInfo.InvariantCulture);
}
