using System.Data.Common;

namespace Crm.Grains.EventLog;

/// <summary>
/// Commands prepared once on the writer's connection and bound by position afterwards: SQLite then parses each
/// statement once, PostgreSQL plans it once. Only the writer's own thread uses an instance.
/// </summary>
internal sealed class PreparedStatements : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = [];

    public PreparedStatements(DbConnection connection) => Connection = connection;

    public DbConnection Connection { get; }

    /// <summary>Runs <paramref name="sql"/> with <paramref name="values"/> bound to its parameters <c>@p0, @p1, …</c>; answers rows affected.</summary>
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
    }
}
