using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Crm.Grains.Storage;

/// <summary>
/// The writer's statements. On SQLite each is prepared once on the writer's connection and bound by position afterwards,
/// and runs at once (the database is in process: nothing to save by waiting). On PostgreSQL the statements of a commit
/// are sent together as one <see cref="NpgsqlBatch"/> at <see cref="Flush"/>: a transaction of 250 imported customers is
/// some 1,500 statements, each a round trip to the server when sent alone.
/// </summary>
/// <remarks>
/// On SQLite a statement whose values are all strings, UTF-8 text, integers, doubles, byte arrays or null runs as a native
/// statement of the connection (<see cref="NativeStatement"/>): bound by index, text as UTF-16 or UTF-8 without a copy. Through
/// <see cref="SqliteCommand"/> every execution made a data reader, a binder per parameter and a UTF-8 array per string,
/// a fifth of the writer's time in an import. Other values (dates, decimals, Guids) go through the command, which knows
/// how Microsoft.Data.Sqlite stores them.
/// <para>
/// <see cref="SqlBatchWriter"/> makes one with each connection it opens and disposes it before it closes that connection,
/// on its own thread: native statements are finalized while their connection is open and by the thread that uses them.
/// A write kind that kept its own statements would share them between writers (a static kind, or one kind serving two
/// silos of a process), and could finalize them from one writer's thread while another steps them.
/// </para>
/// </remarks>
public sealed class PreparedStatements : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = [];
    private readonly Dictionary<object, IDisposable> _owned = [];
    private readonly Dictionary<string, NativeStatement?> _native = [];
    private readonly NpgsqlBatch? _batch;
    private readonly List<(int Command, Action<int> Check)> _checks = [];

    /// <summary>False runs every SQLite statement through <see cref="SqliteCommand"/>: the baseline of the <c>commit-writes</c> benchmark.</summary>
    internal static bool NativeOnSqlite { get; set; } = true;

    public PreparedStatements(DbConnection connection)
    {
        Connection = connection;
        _batch = connection is NpgsqlConnection postgres ? new NpgsqlBatch(postgres) : null;
    }

    public DbConnection Connection { get; }

    /// <summary>
    /// What <paramref name="owner"/> keeps for this connection (statements of its own, say), made by <paramref name="create"/>
    /// on first use and disposed with these statements.
    /// </summary>
    public T Owned<T>(object owner, Func<DbConnection, T> create) where T : class, IDisposable
    {
        if (!_owned.TryGetValue(owner, out var kept))
        {
            _owned[owner] = kept = create(Connection);
        }

        return (T)kept;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with <paramref name="values"/> bound to its parameters <c>@p0, @p1, …</c>, now or, on
    /// PostgreSQL, at the next <see cref="Flush"/>; <paramref name="check"/> then gets the rows it affected.
    /// </summary>
    public void Send(DbTransaction transaction, string sql, object?[] values, Action<int>? check = null)
    {
        if (_batch is null)
        {
            var rows = Execute(transaction, sql, values);
            check?.Invoke(rows);
            return;
        }

        var command = new NpgsqlBatchCommand(sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter($"p{i}", ParameterValue(values[i])));
        }

        _batch.BatchCommands.Add(command);
        if (check is not null)
        {
            _checks.Add((_batch.BatchCommands.Count - 1, check));
        }
    }

    /// <summary>
    /// Sends what <see cref="Send"/> queued, then runs the checks. When a statement fails, the checks of the statements
    /// that ran before it still run: a stale snapshot (0 rows) explains the duplicate outbox entry that follows it better
    /// than the database's unique-key error does.
    /// </summary>
    public void Flush(DbTransaction transaction)
    {
        if (_batch is null || _batch.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            _batch.Transaction = (NpgsqlTransaction)transaction;
            _batch.ExecuteNonQuery();
            foreach (var (command, check) in _checks)
            {
                check(_batch.BatchCommands[command].RecordsAffected);
            }
        }
        catch (PostgresException)
        {
            // The statements after the failed one did not run (their RecordsAffected is -1).
            foreach (var (command, check) in _checks.Where(c => _batch.BatchCommands[c.Command].RecordsAffected >= 0))
            {
                check(_batch.BatchCommands[command].RecordsAffected);
            }

            throw;
        }
        finally
        {
            _batch.BatchCommands.Clear();
            _checks.Clear();
        }
    }

    /// <summary>Runs <paramref name="sql"/> now (prepared once) and answers the rows it affected.</summary>
    public int Execute(DbTransaction transaction, string sql, params object?[] values)
    {
        if (NativeOnSqlite && Connection is SqliteConnection { Handle: { } db } && NativeStatement.Binds(values))
        {
            if (!_native.TryGetValue(sql, out var native))
            {
                _native[sql] = native = NativeStatement.Prepare(db, sql, values.Length);
            }

            if (native is not null)
            {
                return native.Execute(values);
            }
        }

        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                parameter.Value = ParameterValue(values[i]);
                command.Parameters.Add(parameter);
            }

            command.Transaction = transaction;
            command.Prepare();
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = ParameterValue(values[i]);
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>A value as a command's parameter takes it: UTF-8 text as its string, null as DBNull.</summary>
    private static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        Utf8Text text => text.ToString(),
        _ => value,
    };

    /// <summary>Finalizes every statement, each whatever the others do: one left to the finalizer's thread could run while the connection is in use.</summary>
    public void Dispose()
    {
        var failures = new List<Exception>();
        foreach (var disposable in _commands.Values.Concat<IDisposable?>(_native.Values).Concat(_owned.Values).Append(_batch))
        {
            try
            {
                disposable?.Dispose();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        _commands.Clear();
        _native.Clear();
        _owned.Clear();
        if (failures.Count > 0)
        {
            throw new AggregateException("Some of the writer's statements could not be finalized.", failures);
        }
    }
}

/// <summary>
/// A statement prepared on a SQLite connection's native handle, its parameters <c>@p0, @p1, …</c> bound by index. It runs
/// inside whatever transaction the connection has open, as a <see cref="SqliteCommand"/> on it would.
/// </summary>
internal sealed class NativeStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;
    private readonly bool _readOnly;

    private NativeStatement(sqlite3 db, sqlite3_stmt statement, int[] indexes)
    {
        _db = db;
        _statement = statement;
        _indexes = indexes;
        _readOnly = raw.sqlite3_stmt_readonly(statement) != 0;
    }

    /// <summary>Whether every value is one this class binds exactly as Microsoft.Data.Sqlite would.</summary>
    public static bool Binds(object?[] values)
    {
        foreach (var value in values)
        {
            if (value is not (null or DBNull or string or Utf8Text or long or int or short or byte or bool or double or float or byte[]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The statement, or null when <paramref name="sql"/> is more than one statement (the command runs those).</summary>
    public static NativeStatement? Prepare(sqlite3 db, string sql, int parameters)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail));
        if (!string.IsNullOrWhiteSpace(tail))
        {
            statement.Dispose();
            return null;
        }

        var indexes = new int[parameters];
        for (var i = 0; i < parameters; i++)
        {
            indexes[i] = raw.sqlite3_bind_parameter_index(statement, $"@p{i}");
        }

        return new NativeStatement(db, statement, indexes);
    }

    /// <summary>Runs the statement with <paramref name="values"/>; the rows it changed (-1 for a statement that changes none).</summary>
    public int Execute(object?[] values)
    {
        try
        {
            for (var i = 0; i < _indexes.Length; i++)
            {
                if (_indexes[i] > 0)
                {
                    Check(_db, Bind(_indexes[i], values[i]));
                }
            }

            int step;
            while ((step = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(_db, step == raw.SQLITE_DONE ? raw.SQLITE_OK : step);
            return _readOnly ? -1 : raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private int Bind(int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, index),
        string text => raw.sqlite3_bind_text16(_statement, index, text.AsSpan()),
        Utf8Text { Bytes.Length: 0 } => raw.sqlite3_bind_text16(_statement, index, "".AsSpan()),
        Utf8Text text => raw.sqlite3_bind_text(_statement, index, text.Bytes.AsSpan()),
        long number => raw.sqlite3_bind_int64(_statement, index, number),
        int number => raw.sqlite3_bind_int64(_statement, index, number),
        short number => raw.sqlite3_bind_int64(_statement, index, number),
        byte number => raw.sqlite3_bind_int64(_statement, index, number),
        bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
        double real => raw.sqlite3_bind_double(_statement, index, real),
        float real => raw.sqlite3_bind_double(_statement, index, real),
        byte[] blob => raw.sqlite3_bind_blob(_statement, index, blob),
        _ => throw new ArgumentException($"A value of type {value.GetType()} is not bound natively.", nameof(value)),
    };

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", result, raw.sqlite3_extended_errcode(db));
        }
    }

    public void Dispose() => _statement.Dispose();
}
