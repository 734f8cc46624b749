using Crm.Grains.Notifications;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Storage;

/// <summary>
/// A write kind may serve several writers at once (the inbox's is static; each silo of a process has its own writer),
/// so the statements it runs belong to the writer's connection, not to the kind: writers on two databases, each on its
/// own thread, share one kind, and a writer whose connection broke prepares them again on the next one.
/// </summary>
public sealed class SharedWriteKindTests
{
    private const int WritesPerWriter = 3_000;

    [Fact]
    public async Task Two_writers_share_one_kind_and_each_database_gets_exactly_its_own_rows()
    {
        var inserts = new NotificationInserts();
        await using var first = TestDatabase.CreateSqlite();
        await using var second = TestDatabase.CreateSqlite();
        await using var firstWriter = new SqlBatchWriter(first.Database, NullLogger<SqlBatchWriter>.Instance);
        await using var secondWriter = new SqlBatchWriter(second.Database, NullLogger<SqlBatchWriter>.Instance);

        // Interleaved, so both writers' threads run the kind at the same time, batch after batch.
        var writes = new List<Task>();
        for (var i = 1; i <= WritesPerWriter; i++)
        {
            writes.Add(firstWriter.WriteAsync(inserts, [Row("rep-a", i)]));
            writes.Add(secondWriter.WriteAsync(inserts, [Row("rep-b", i)]));
        }

        await Task.WhenAll(writes);

        Assert.Equal(Expected("rep-a"), await IdsAsync(first));
        Assert.Equal(Expected("rep-b"), await IdsAsync(second));
    }

    [Fact]
    public async Task After_a_failed_batch_drops_the_connection_the_kind_runs_again_on_the_next_one()
    {
        var inserts = new NotificationInserts();
        await using var db = TestDatabase.CreateSqlite();
        await using var writer = new SqlBatchWriter(db.Database, NullLogger<SqlBatchWriter>.Instance);
        await writer.WriteAsync(inserts, [Row("rep-a", 1)]);

        // The same key again fails its batch; the writer drops the connection and retries each write alone.
        var duplicate = writer.WriteAsync(inserts, [Row("rep-a", 1)]);
        var good = writer.WriteAsync(inserts, [Row("rep-a", 2)]);
        var refused = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(19, refused.SqliteErrorCode); // SQLITE_CONSTRAINT: the key, not a broken statement
        await good;
        await writer.WriteAsync(inserts, [Row("rep-a", 3)]);

        Assert.Equal(["rep-a/1", "rep-a/2", "rep-a/3"], await IdsAsync(db));
    }

    private static NotificationRow Row(string user, long id) =>
        new(user, id, "CustomerClaimed", $$"""{"n":{{id}}}""", $"{user}-{id}", 1_767_000_000_000 + id, 1_767_000_000_000 + id);

    private static List<string> Expected(string user) =>
        Enumerable.Range(1, WritesPerWriter).Select(i => $"{user}/{i}").ToList();

    private static async Task<List<string>> IdsAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync();
        var rows = await connection.QueryAsync<(string User, long Id)>("SELECT user_id, id FROM notifications ORDER BY user_id, id");
        return rows.Select(r => $"{r.User}/{r.Id}").ToList();
    }
}
