using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Storage;

/// <summary>
/// A write queued behind a long one waits, however long, while the database takes writes: only a database that fails
/// makes queued writes expire (answered 503). After a restart on a large database the dedup index's compactions held
/// the writer long enough that an import's writes expired with the database up.
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

        // The long write holds the writer for three timeouts; the others are queued once it runs, so they wait behind it.
        using var running = new ManualResetEventSlim();
        var longWrite = writer.WriteAsync((connection, transaction) =>
        {
            running.Set();
            Thread.Sleep(TimeSpan.FromSeconds(3));
            connection.Execute("INSERT INTO backlog (id) VALUES (0)", transaction: transaction);
        });
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)));
        var queued = Enumerable.Range(1, 50).Select(i => writer.WriteAsync((connection, transaction) =>
            connection.Execute("INSERT INTO backlog (id) VALUES (@i)", new { i }, transaction))).ToList();

        await longWrite;
        await Task.WhenAll(queued);

        await using var read = await database.OpenAsync();
        Assert.Equal(51, await read.ExecuteScalarAsync<int>("SELECT count(*) FROM backlog"));
    }
}
