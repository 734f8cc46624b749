using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Storage;

/// <summary>
/// A write queued behind a long one waits past the database's timeout while the database takes writes (a backlog is slow,
/// not unavailable), up to four timeouts: then it fails unwritten, before the caller's own call would time out.
/// </summary>
public sealed class WriterBacklogTests
{
    [Fact]
    public async Task Writes_queued_behind_a_write_longer_than_the_timeout_are_stored_not_refused()
    {
        await using var db = TestDatabase.CreateSqlite();
        var database = new CrmDatabase(DatabaseProvider.Sqlite, db.Database.ConnectionString, timeout: TimeSpan.FromSeconds(1));
        await using var writer = new SqlBatchWriter(database, NullLogger<SqlBatchWriter>.Instance);
        await writer.WriteAsync((connection, transaction) =>
            connection.Execute("CREATE TABLE backlog (id INTEGER PRIMARY KEY)", transaction: transaction));

        // The long write holds the writer for two timeouts; the others are queued once it runs, so they wait behind it.
        var (longWrite, queued) = await BehindAsync(writer, TimeSpan.FromSeconds(2));

        await longWrite;
        await Task.WhenAll(queued);

        Assert.Equal(51, await CountAsync(database));
    }

    [Fact]
    public async Task Writes_queued_behind_a_backlog_longer_than_four_timeouts_fail_unwritten()
    {
        await using var db = TestDatabase.CreateSqlite();
        var database = new CrmDatabase(DatabaseProvider.Sqlite, db.Database.ConnectionString, timeout: TimeSpan.FromSeconds(1));
        await using var writer = new SqlBatchWriter(database, NullLogger<SqlBatchWriter>.Instance);
        await writer.WriteAsync((connection, transaction) =>
            connection.Execute("CREATE TABLE backlog (id INTEGER PRIMARY KEY)", transaction: transaction));

        var (longWrite, queued) = await BehindAsync(writer, TimeSpan.FromSeconds(6));

        await longWrite;
        foreach (var write in queued)
        {
            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => write);
        }

        Assert.Equal(1, await CountAsync(database));
    }

    /// <summary>A write that holds the writer for <paramref name="holding"/>, and 50 writes queued once it runs.</summary>
    private static async Task<(Task Long, List<Task> Queued)> BehindAsync(SqlBatchWriter writer, TimeSpan holding)
    {
        using var running = new ManualResetEventSlim();
        var longWrite = writer.WriteAsync((connection, transaction) =>
        {
            running.Set();
            Thread.Sleep(holding);
            connection.Execute("INSERT INTO backlog (id) VALUES (0)", transaction: transaction);
        });
        Assert.True(await Task.Run(() => running.Wait(TimeSpan.FromSeconds(30))));
        var queued = Enumerable.Range(1, 50).Select(i => writer.WriteAsync((connection, transaction) =>
            connection.Execute("INSERT INTO backlog (id) VALUES (@i)", new { i }, transaction))).ToList();
        return (longWrite, queued);
    }

    private static async Task<int> CountAsync(CrmDatabase database)
    {
        await using var read = await database.OpenAsync();
        return await read.ExecuteScalarAsync<int>("SELECT count(*) FROM backlog");
    }
}
