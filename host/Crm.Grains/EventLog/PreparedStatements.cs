using System.Data.Common;
using Npgsql;

namespace Crm.Grains.EventLog;

/// <summary>
/// The writer's statements. On SQLite each is prepared once on the writer's connection and bound by position afterwards,
/// and runs at once (the database is in process: nothing to save by waiting). On PostgreSQL the statements of a commit
/// are sent together as one <see cref="NpgsqlBatch"/> at <see cref="Flush"/>: a transaction of 250 imported customers is
/// some 1,500 statements, each a round trip to the server when sent alone. Only the writer's own thread uses an instance.
/// </summary>
internal sealed class PreparedStatements : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = [];
    private readonly NpgsqlBatch? _batch;
    private readonly List<(int Command, Action<int> Check)> _checks = [];

    public PreparedStatements(DbConnection connection)
    {
        Connection = connection;
        _batch = connection is NpgsqlConnection postgres ? new NpgsqlBatch(postgres) : null;
    }

    public DbConnection Connection { get; }

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
            command.Parameters.Add(new NpgsqlParameter($"p{i}", values[i] ?? DBNull.Value));
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
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            command.Transaction = transaction;
            command.Prepare();
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _batch?.Dispose();
    }
}
