using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// SQLite: the two grain-state statements, prepared once on the writer's connection and bound by position.
/// Every grain write of the embedded profile passes here, so it skips what an ADO.NET command costs per
/// execution (parameter objects, a name lookup per parameter, a reader) and runs at SQLite's own speed.
/// </summary>
/// <remarks>Used only by the writer's own thread, inside the transaction it opened on the same connection.</remarks>
internal sealed class SqliteGrainStateStatements : IDisposable
{
    private readonly sqlite3 _db;
    private readonly Statement _update;
    private readonly Statement _insert;
    private readonly Dictionary<string, byte[]> _utf8 = new(StringComparer.Ordinal);

    public SqliteGrainStateStatements(SqliteConnection connection, GrainStateSql sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The writer's SQLite connection is not open.");
        _update = new Statement(_db, sql.Update);
        try
        {
            _insert = new Statement(_db, sql.Insert);
        }
        catch
        {
            _update.Dispose();
            throw;
        }
    }

    /// <summary>Runs one write; the row's new version, or null when it was not at the expected version.</summary>
    /// <param name="modifiedOn">The batch's time stamp in UTF-8, as SQLite's strftime would print it.</param>
    public int? Execute(GrainStateWrite write, byte[] modifiedOn)
    {
        var statement = write.ExpectedVersion is null ? _insert : _update;
        var stmt = statement.Handle;
        var key = write.Key;
        Check(raw.sqlite3_bind_int(stmt, statement.GrainIdHash, key.GrainIdHash));
        Check(raw.sqlite3_bind_int(stmt, statement.GrainTypeHash, key.GrainTypeHash));
        Check(raw.sqlite3_bind_text(stmt, statement.ServiceId, Utf8(key.ServiceId)));
        Check(raw.sqlite3_bind_int64(stmt, statement.N0, key.N0));
        Check(raw.sqlite3_bind_int64(stmt, statement.N1, key.N1));
        Check(raw.sqlite3_bind_text(stmt, statement.GrainType, Utf8(key.GrainType)));
        Check(key.Extension is null ? raw.sqlite3_bind_null(stmt, statement.Extension) : raw.sqlite3_bind_text16(stmt, statement.Extension, key.Extension));
        Check(write.Payload is null ? raw.sqlite3_bind_null(stmt, statement.Payload) : raw.sqlite3_bind_blob(stmt, statement.Payload, write.Payload));
        Check(raw.sqlite3_bind_text(stmt, statement.ModifiedOn, modifiedOn));
        if (write.ExpectedVersion is { } expected)
        {
            Check(raw.sqlite3_bind_int(stmt, statement.ExpectedVersion, expected));
        }

        try
        {
            // RETURNING makes every change on the first step; a row back is the new version.
            var rc = raw.sqlite3_step(stmt);
            return rc switch
            {
                raw.SQLITE_ROW => raw.sqlite3_column_int(stmt, 0),
                raw.SQLITE_DONE => null,
                _ => Fail(rc),
            };
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>
    /// The UTF-8 bytes of a service id or state name: a handful of values, encoded once instead of on every
    /// write. (Key extensions differ per grain and are bound as UTF-16.)
    /// </summary>
    private ReadOnlySpan<byte> Utf8(string text)
    {
        if (!_utf8.TryGetValue(text, out var bytes))
        {
            bytes = Encoding.UTF8.GetBytes(text);
            if (_utf8.Count < 1_000)
            {
                _utf8[text] = bytes;
            }
        }

        return bytes;
    }

    private int? Fail(int rc)
    {
        SqliteException.ThrowExceptionForRC(rc, _db);
        throw new InvalidOperationException($"SQLite answered {rc} to a grain write.");
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            Fail(rc);
        }
    }

    public void Dispose()
    {
        _update.Dispose();
        _insert.Dispose();
    }

    /// <summary>A prepared statement and the positions of its parameters, looked up once.</summary>
    private sealed class Statement : IDisposable
    {
        public Statement(sqlite3 db, string sql)
        {
            var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var handle, out _);
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            Handle = handle;
            GrainIdHash = Position("@GrainIdHash");
            GrainTypeHash = Position("@GrainTypeHash");
            ServiceId = Position("@ServiceId");
            N0 = Position("@N0");
            N1 = Position("@N1");
            GrainType = Position("@GrainType");
            Extension = Position("@Extension");
            Payload = Position("@Payload");
            ModifiedOn = Position("@ModifiedOn");
            ExpectedVersion = raw.sqlite3_bind_parameter_index(handle, "@ExpectedVersion");
        }

        public sqlite3_stmt Handle { get; }

        public int GrainIdHash { get; }
        public int GrainTypeHash { get; }
        public int ServiceId { get; }
        public int N0 { get; }
        public int N1 { get; }
        public int GrainType { get; }
        public int Extension { get; }
        public int Payload { get; }
        public int ModifiedOn { get; }

        /// <summary>0 in the insert, which expects no row.</summary>
        public int ExpectedVersion { get; }

        private int Position(string name)
        {
            var position = raw.sqlite3_bind_parameter_index(Handle, name);
            return position > 0 ? position : throw new InvalidOperationException($"The grain-state statement has no parameter {name}.");
        }

        public void Dispose() => Handle.Dispose();
    }
}
