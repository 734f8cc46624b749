using Crm.Grains.EventLog;
using Crm.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Crm.Tests.Storage;

/// <summary>
/// The writer's statements on SQLite run as native statements when their values allow it: whatever they store, and the
/// rows they report, must be what the same statement run through <see cref="SqliteCommand"/> gives, value by value.
/// </summary>
public sealed class PreparedStatementsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("crm-prepared-").FullName;

    public static TheoryData<string, object?> Values => new()
    {
        { "empty text", "" },
        { "text", "Ивановъ 北京华为 ☎ 😀 \u0000 after a nul" },
        { "null", null },
        { "DBNull", DBNull.Value },
        { "zero", 0L },
        { "largest long", long.MaxValue },
        { "negative int", -1 },
        { "short", (short)5 },
        { "byte", (byte)7 },
        { "true", true },
        { "false", false },
        { "double", 1.5 },
        { "float", 2.25f },
        { "empty blob", Array.Empty<byte>() },
        { "blob", new byte[] { 0, 1, 2, 255 } },
        // Values the native statement leaves to the command (stored the way Microsoft.Data.Sqlite stores them):
        { "Guid", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e") },
        { "decimal", 1.10m },
        { "DateTimeOffset", new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(8)) },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_is_stored_as_the_command_stores_it(string label, object? value)
    {
        using var native = Open("native");
        using var command = Open("command");
        const string insert = "INSERT INTO t (k, v) VALUES (@p0, @p1)";

        using (var transaction = native.BeginTransaction())
        using (var statements = new PreparedStatements(native))
        {
            Assert.Equal(1, statements.Execute(transaction, insert, label, value));
            transaction.Commit();
        }

        Assert.Equal(1, Run(command, insert, label, value));
        Assert.Equal(Stored(command, label), Stored(native, label));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\":\"Ивановъ 北京华为 ☎ 😀\",\"note\":\"\u0000 after a nul\"}")]
    public void Utf8_text_is_stored_as_its_string_is(string text)
    {
        // An event's JSON goes to the log as UTF-8 bytes: what is stored must be the string the command stores.
        using var native = Open("native");
        using var command = Open("command");
        const string insert = "INSERT INTO t (k, v) VALUES (@p0, @p1)";

        using (var transaction = native.BeginTransaction())
        using (var statements = new PreparedStatements(native))
        {
            Assert.Equal(1, statements.Execute(transaction, insert, "utf8", (Utf8Text)text));
            transaction.Commit();
        }

        Assert.Equal(1, Run(command, insert, "utf8", text));
        Assert.Equal(Stored(command, "utf8"), Stored(native, "utf8"));
    }

    [Fact]
    public void Rows_affected_and_failures_are_the_commands()
    {
        using var native = Open("native");
        using var command = Open("command");
        string[] statements =
        [
            "INSERT INTO t (k, v) VALUES (@p0, @p1)",
            "INSERT INTO t (k, v) VALUES (@p0, @p1) ON CONFLICT (k) DO NOTHING", // the same key again: nothing
            "UPDATE t SET v = @p1 WHERE k = @p0",
            "UPDATE t SET v = @p1 WHERE k = @p0 AND v = 'never'",
            "SELECT v FROM t WHERE k = @p0 AND @p1 IS NOT NULL",
            "DELETE FROM t WHERE k = @p0 AND v = @p1",
            "INSERT INTO t (k, v) VALUES (@p0, @p1); INSERT INTO t (k, v) VALUES (@p0 || '-2', @p1)", // two: the command runs them
        ];

        using var transaction = native.BeginTransaction();
        using var prepared = new PreparedStatements(native);
        foreach (var sql in statements)
        {
            foreach (var key in new[] { "a", "b" })
            {
                Assert.Equal(Run(command, sql, key, "x"), prepared.Execute(transaction, sql, key, "x"));
            }
        }

        var failure = Assert.Throws<SqliteException>(() => prepared.Execute(transaction, "INSERT INTO t (k, v) VALUES (@p0, @p1)", "a", "again"));
        Assert.Equal(Assert.Throws<SqliteException>(() => Run(command, "INSERT INTO t (k, v) VALUES (@p0, @p1)", "a", "again")).SqliteErrorCode,
            failure.SqliteErrorCode);
        Assert.Equal(19, failure.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1, prepared.Execute(transaction, "INSERT INTO t (k, v) VALUES (@p0, @p1)", "c", "after a failure")); // reusable
        transaction.Commit();
        Assert.Equal(Stored(command, "a"), Stored(native, "a"));
        Assert.Equal(Stored(command, "a-2"), Stored(native, "a-2"));
    }

    private SqliteConnection Open(string name)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, name + ".db")};Pooling=False");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v)";
        create.ExecuteNonQuery();
        return connection;
    }

    private static int Run(SqliteConnection connection, string sql, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"@p{i}", values[i] ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>The stored value's type and its SQL literal (quote() spells blobs in hex and text exactly).</summary>
    private static (string Type, string Literal) Stored(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(v), quote(v) FROM t WHERE k = @k";
        command.Parameters.AddWithValue("@k", key);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row '{key}'");
        return (reader.GetString(0), reader.GetString(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
