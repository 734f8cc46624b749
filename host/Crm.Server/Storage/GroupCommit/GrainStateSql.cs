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
        // SQLite takes the batch's time stamp as a parameter, formatted once per batch rather than per row.
        var now = sqlite ? "@ModifiedOn" : "now()";
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

        // PostgreSQL only: a whole run of writes (distinct grains) as one statement over arrays, one row per
        // element: update where the version matches, insert where no row may exist yet; returns the key and
        // new version of each row it changed.
        var keyColumns = "GrainIdHash, GrainTypeHash, ServiceId, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString";
        UpsertMany = sqlite ? "" : $"""
            WITH v AS (
                SELECT * FROM unnest(@GrainIdHash, @GrainTypeHash, @ServiceId, @N0, @N1, @GrainType, @Extension, @Payload, @ExpectedVersion)
                    AS v(GrainIdHash, GrainTypeHash, ServiceId, N0, N1, GrainType, Extension, Payload, ExpectedVersion)
            ), updated AS (
                UPDATE OrleansStorage s SET PayloadBinary = v.Payload, ModifiedOn = now(), Version = s.Version + 1
                FROM v
                WHERE v.ExpectedVersion IS NOT NULL
                  AND s.GrainIdHash = v.GrainIdHash AND s.GrainTypeHash = v.GrainTypeHash AND s.ServiceId = v.ServiceId
                  AND s.GrainIdN0 = v.N0 AND s.GrainIdN1 = v.N1 AND s.GrainTypeString = v.GrainType
                  AND s.GrainIdExtensionString IS NOT DISTINCT FROM v.Extension AND s.Version = v.ExpectedVersion
                RETURNING {string.Join(", ", keyColumns.Split(", ").Select(c => "s." + c))}, s.Version
            ), inserted AS (
                INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                            GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
                SELECT GrainIdHash, N0, N1, GrainTypeHash, GrainType, Extension, ServiceId, Payload, now(), 1
                FROM v WHERE v.ExpectedVersion IS NULL
                ON CONFLICT DO NOTHING
                RETURNING {keyColumns}, Version
            )
            SELECT * FROM updated UNION ALL SELECT * FROM inserted
            """;
    }

    /// <summary>The payload and version of one grain's row, or no row.</summary>
    public string Read { get; }

    /// <summary>Replaces (or, with a NULL payload, clears) the payload of a row still at the expected version.</summary>
    public string Update { get; }

    /// <summary>Creates a grain's row at version 1 unless one exists already.</summary>
    public string Insert { get; }

    /// <summary>PostgreSQL: <see cref="Update"/> or <see cref="Insert"/> for many distinct grains in one statement, over arrays.</summary>
    public string UpsertMany { get; }
}
