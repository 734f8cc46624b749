using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Crm.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Crm.Server.Storage.GroupCommit;

/// <summary>
/// Runs a batch's grain-state writes inside the group-commit transaction and returns each write's new
/// version, or null when the row was not at the version the grain expected (a stale ETag): that caller
/// alone fails, the rest of the batch commits.
/// </summary>
/// <remarks>
/// SQLite runs in-process, so each write is one execution of a statement prepared once per connection
/// (<see cref="SqliteGrainStateStatements"/>).
/// PostgreSQL is a round trip away and plans every statement, so a run of writes to distinct grains goes as
/// one prepared set-based statement over arrays; a lone write, or a run that writes one grain twice, goes as
/// a batch of the simple statements in order (one round trip either way).
/// </remarks>
public sealed class GrainStateWrites(CrmDatabase database) : ISqlBulkWrite<GrainStateWrite, int?>
{
    private readonly GrainStateSql _sql = new(database.Provider);

    public int?[] Execute(PreparedStatements sql, DbTransaction transaction, IReadOnlyList<GrainStateWrite> items) =>
        database.Provider == DatabaseProvider.Sqlite
            ? ExecuteEach(sql, items)
            : items.Count > 1 && items.Select(w => w.Key).Distinct().Count() == items.Count
                ? ExecuteAsOneStatement(sql.Connection, transaction, items)
                : ExecuteInOneRoundTrip(sql.Connection, transaction, items);

    private int?[] ExecuteEach(PreparedStatements sql, IReadOnlyList<GrainStateWrite> items)
    {
        // Prepared on the writer's connection and finalized with it.
        var statements = sql.Owned(this, connection => new SqliteGrainStateStatements((SqliteConnection)connection, _sql));
        var modifiedOn = Encoding.UTF8.GetBytes(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
        var results = new int?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            results[i] = statements.Execute(items[i], modifiedOn);
        }

        return results;
    }

    private int?[] ExecuteInOneRoundTrip(DbConnection connection, DbTransaction transaction, IReadOnlyList<GrainStateWrite> items)
    {
        using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var write in items)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = write.ExpectedVersion is null ? _sql.Insert : _sql.Update;
            Bind(command.Parameters, command.CreateParameter, write);
            batch.BatchCommands.Add(command);
        }

        var results = new int?[items.Count];
        using var reader = batch.ExecuteReader();
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0 && !reader.NextResult())
            {
                throw new InvalidOperationException($"The batch of {items.Count} grain writes answered only {i} results.");
            }

            results[i] = reader.Read() ? ToVersion(reader.GetValue(0)) : null;
        }

        return results;
    }

    private int?[] ExecuteAsOneStatement(DbConnection connection, DbTransaction transaction, IReadOnlyList<GrainStateWrite> items)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _sql.UpsertMany;
        AddArray(command, "@GrainIdHash", items.Select(w => w.Key.GrainIdHash).ToArray());
        AddArray(command, "@GrainTypeHash", items.Select(w => w.Key.GrainTypeHash).ToArray());
        AddArray(command, "@ServiceId", items.Select(w => w.Key.ServiceId).ToArray());
        AddArray(command, "@N0", items.Select(w => w.Key.N0).ToArray());
        AddArray(command, "@N1", items.Select(w => w.Key.N1).ToArray());
        AddArray(command, "@GrainType", items.Select(w => w.Key.GrainType).ToArray());
        AddArray(command, "@Extension", items.Select(w => w.Key.Extension).ToArray());
        AddArray(command, "@Payload", items.Select(w => w.Payload).ToArray());
        AddArray(command, "@ExpectedVersion", items.Select(w => w.ExpectedVersion).ToArray());
        command.Prepare(); // planned once per connection, then reused

        var changed = new Dictionary<GrainRowKey, int>(items.Count);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = new GrainRowKey(reader.GetInt32(0), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(1),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(2));
                changed[key] = reader.GetInt32(7);
            }
        }

        return items.Select(w => changed.TryGetValue(w.Key, out var version) ? version : (int?)null).ToArray();

        static void AddArray(DbCommand command, string name, Array values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = values;
            command.Parameters.Add(parameter);
        }
    }

    private static void Bind(DbParameterCollection parameters, Func<DbParameter> create, GrainStateWrite write)
    {
        BindKey(parameters, create, write.Key);
        Add(parameters, create, "@Payload", write.Payload, DbType.Binary);
        if (write.ExpectedVersion is { } expected)
        {
            Add(parameters, create, "@ExpectedVersion", expected, DbType.Int32);
        }
    }

    /// <summary>Binds the parameters that find one grain's row (for a read).</summary>
    public static void BindKey(DbCommand command, GrainRowKey key) => BindKey(command.Parameters, command.CreateParameter, key);

    private static void BindKey(DbParameterCollection parameters, Func<DbParameter> create, GrainRowKey key)
    {
        Add(parameters, create, "@GrainIdHash", key.GrainIdHash, DbType.Int32);
        Add(parameters, create, "@GrainTypeHash", key.GrainTypeHash, DbType.Int32);
        Add(parameters, create, "@ServiceId", key.ServiceId, DbType.String);
        Add(parameters, create, "@N0", key.N0, DbType.Int64);
        Add(parameters, create, "@N1", key.N1, DbType.Int64);
        Add(parameters, create, "@GrainType", key.GrainType, DbType.String);
        Add(parameters, create, "@Extension", key.Extension, DbType.String);
    }

    private static void Add(DbParameterCollection parameters, Func<DbParameter> create, string name, object? value, DbType type)
    {
        var parameter = create();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
    }

    private static int? ToVersion(object? value) => value is null or DBNull ? null : Convert.ToInt32(value);
}
