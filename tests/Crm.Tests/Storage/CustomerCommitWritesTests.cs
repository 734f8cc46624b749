using Crm.Grains.EventLog;
using Crm.Grains.Storage;

namespace Crm.Tests.Storage;

/// <summary>
/// The event log's writes on both databases: a commit made against a version that is no longer the stored one is a
/// version conflict, also on PostgreSQL, where a transaction's statements go to the server as one batch and the stale
/// commit's outbox entry collides with the stored one (same customer and version) before its snapshot's zero rows are
/// looked at.
/// </summary>
public sealed class CustomerCommitWritesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_commit_on_a_stale_version_is_a_version_conflict_and_its_transaction_writes_nothing(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var database = db.Database;
        var writes = new CustomerCommitWrites(new EventLogFaults());
        var (first, second) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        await WriteAsync(database, writes, [Commit(first, expected: 0, seq: 1), Commit(second, expected: 0, seq: 1)]);
        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() =>
            WriteAsync(database, writes, [Commit(second, expected: 1, seq: 2), Commit(first, expected: 0, seq: 1, text: "stale")]));

        Assert.Contains(first, conflict.Message);
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_events WHERE customer_id = @p0", first));
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_events WHERE customer_id = @p0", second)); // rolled back with it
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_outbox WHERE customer_id = @p0", second));
        await WriteAsync(database, writes, [Commit(second, expected: 1, seq: 2)]); // the writer's retry of the good commit alone
        Assert.Equal(2, await ScalarAsync(database, "SELECT MAX(version) FROM customer_snapshots WHERE customer_id = @p0", second));
    }

    private static CustomerCommit Commit(string id, long expected, long seq, string text = "called") =>
        new(id, expected, expected + 1, [1, 2, 3], 1_767_000_000_000 + seq,
            [new EventRow(seq, 1_767_000_000_000 + seq, "followed-up", "rep-1", $$"""{"text":"{{text}}"}""")], [4, 5, 6], null, [], null);

    private static async Task WriteAsync(CrmDatabase database, CustomerCommitWrites writes, IReadOnlyList<CustomerCommit> commits)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        using var statements = new PreparedStatements(connection);
        writes.Execute(statements, transaction, commits);
        await transaction.CommitAsync();
    }

    private static async Task<long> ScalarAsync(CrmDatabase database, string sql, string id)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p0";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
