using Crm.Grains.Storage;

namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// The statements of the group-commit grain storage against the OrleansStorage table, in each database's
/// dialect. Every write checks the version it expects and returns the new one, or no row on a mismatch.
/// </summary>
public sealed class GrainStateSql
{
    public GrainStateSql(DatabaseProvider provider)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        var now = sqlite ? "strftime('%Y-%m-%d %H:%M:%f', 'now')" : "now()";
        var sameExtension = sqlite ? "GrainIdExtensionString IS @Extension" : "GrainIdExtensionString IS NOT DISTINCT FROM @Extension";
        var row = $"""
            GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND ServiceId = @ServiceId
              AND GrainIdN0 = @N0 AND GrainIdN1 = @N1 AND GrainTypeString = @GrainType AND {sameExtension}
            """;

        Read = $"SELECT PayloadBinary, Version FROM OrleansStorage WHERE {row} LIMIT 1";
        Update = $"""
            UPDATE OrleansStorage SET PayloadBinary = @Payload, ModifiedOn = {now}, Version = Version + 1
            WHERE {row} AND Version = @ExpectedVersion
            RETURNING Version
            """;
        Insert = $"""
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                        GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            VALUES (@GrainIdHash, @N0, @N1, @GrainTypeHash, @GrainType, @Extension, @ServiceId, @Payload, {now}, 1)
            ON CONFLICT DO NOTHING
            RETURNING Version
            """;
    }

    /// <summary>The payload and version of one grain's row, or no row.</summary>
    public string Read { get; }

    /// <summary>Replaces (or, with a NULL payload, clears) the payload of a row still at the expected version.</summary>
    public string Update { get; }

    /// <summary>Creates a grain's row at version 1 unless one exists already.</summary>
    public string Insert { get; }
}
