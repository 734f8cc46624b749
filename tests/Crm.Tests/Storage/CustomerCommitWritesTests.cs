using Crm.Grains.Customers;
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

    /// <summary>
    /// A group commit's many customers in one transaction (an import's 250): every row arrives as sent, nulls and non-Latin
    /// text included, and one stale commit among them fails the whole transaction as a version conflict naming it.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Many_commits_in_one_transaction_store_every_row_and_one_stale_commit_fails_them_all(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var database = db.Database;
        var writes = new CustomerCommitWrites(new EventLogFaults());
        var ids = Enumerable.Range(0, 250).Select(_ => Guid.NewGuid().ToString()).ToList();
        var created = ids.Select((id, i) => Commit(id, expected: 0, seq: 1, text: $"杭州第{i}次拜访") with
        {
            Events = [new EventRow(1, 1_767_000_000_001, "created", i % 2 == 0 ? null : "rep-1", $$"""{"n":{{i}}}"""),
                new EventRow(2, 1_767_000_000_002, "followed-up", "rep-1", $$"""{"text":"杭州第{{i}}次拜访"}""")],
            Version = 2,
        }).ToList();

        await WriteAsync(database, writes, created);
        var followedUp = ids.Select(id => Commit(id, expected: 2, seq: 3)).ToList();
        await WriteAsync(database, writes, followedUp);

        Assert.Equal(750, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_events WHERE customer_id <> @p0", ""));
        Assert.Equal(125, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_events WHERE kind = 'created' AND actor_id IS NULL AND customer_id <> @p0", ""));
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_events WHERE seq = 2 AND data = '{\"text\":\"杭州第7次拜访\"}' AND customer_id = @p0", ids[7]));
        Assert.Equal(250, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_snapshots WHERE version = 3 AND customer_id <> @p0", ""));
        Assert.Equal(500, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_outbox WHERE customer_id <> @p0", ""));
        Assert.Equal(1_767_000_000_003, await ScalarAsync(database, "SELECT updated_ms FROM customer_snapshots WHERE customer_id = @p0", ids[249]));


        // 249 new customers and, among them, one stored already: its first commit again.
        var stale = Enumerable.Range(0, 250).Select(i => i == 100 ? Commit(ids[100], expected: 0, seq: 1) : Commit(Guid.NewGuid().ToString(), expected: 0, seq: 1)).ToList();
        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => WriteAsync(database, writes, stale));
        Assert.Contains(ids[100], conflict.Message);
        Assert.Equal(750, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_events WHERE customer_id <> @p0", ""));
        Assert.Equal(250, await ScalarAsync(database, "SELECT COUNT(*) FROM customer_snapshots WHERE customer_id <> @p0", ""));

    }

    /// <summary>
    /// A commit that moves the customer nowhere (a flag, a follow-up) updates its list row without setting the indexed
    /// columns: SQLite rewrites an index's entry whenever an UPDATE sets one of its columns, changed or not, which made every
    /// such commit dirty a page in each of the table's indexes. A trigger on those columns sees what an UPDATE sets.
    /// </summary>
    [Fact]
    public async Task A_commit_that_moves_the_customer_nowhere_sets_no_indexed_column_and_a_claim_does()
    {
        await using var db = TestDatabase.Create(DatabaseProvider.Sqlite);
        var database = db.Database;
        await ExecuteAsync(database, """
            CREATE TABLE indexed_sets (id TEXT NOT NULL);
            CREATE TRIGGER tr_indexed_sets AFTER UPDATE OF pool_id, owner_id, org_unit_id, created_ms ON customers
            BEGIN INSERT INTO indexed_sets (id) VALUES (new.id); END;
            CREATE TABLE status_sets (id TEXT NOT NULL);
            CREATE TRIGGER tr_status_sets AFTER UPDATE OF status_pool ON customer_status_pools
            BEGIN INSERT INTO status_sets (id) VALUES (new.id); END;
            """);
        var writes = new CustomerCommitWrites(new EventLogFaults());
        var id = Guid.NewGuid().ToString();
        var created = Row(id, version: 1, name: "Acme", owner: null);
        var flagged = created with { Name = "Acme Ltd", UpdatedMs = created.UpdatedMs + 1, Version = 2 };
        var claimed = flagged with { OwnerId = "rep-1", Version = 3 };

        await WriteAsync(database, writes, [Commit(id, 0, 1) with { Row = created }]);
        await WriteAsync(database, writes, [Commit(id, 1, 2) with { Row = flagged, RowBefore = created }]);
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM indexed_sets WHERE id = @p0", id));
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM status_sets WHERE id = @p0", id));
        Assert.Equal(2, await ScalarAsync(database, "SELECT version FROM customers WHERE id = @p0 AND name = 'Acme Ltd' AND owner_id IS NULL", id));

        await WriteAsync(database, writes, [Commit(id, 2, 3) with { Row = claimed, RowBefore = flagged }]);
        Assert.Equal(1, await ScalarAsync(database, "SELECT COUNT(*) FROM indexed_sets WHERE id = @p0", id));
        Assert.Equal(3, await ScalarAsync(database, "SELECT version FROM customers WHERE id = @p0 AND owner_id = 'rep-1'", id));
    }

    /// <summary>
    /// The narrower upsert keeps what the full one guaranteed: a list row that is missing (lost, or never projected) is
    /// inserted whole, with its indexed columns, and a row already at a later version is left alone.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_commit_that_moves_the_customer_nowhere_heals_a_missing_row_and_leaves_a_later_one(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var database = db.Database;
        var writes = new CustomerCommitWrites(new EventLogFaults());
        var id = Guid.NewGuid().ToString();
        var created = Row(id, version: 1, name: "Acme", owner: "rep-1");
        await WriteAsync(database, writes, [Commit(id, 0, 1) with { Row = created }]);
        await ExecuteAsync(database, $"DELETE FROM customers WHERE id = '{id}'");

        var followedUp = created with { LastFollowUpMs = created.UpdatedMs + 5, Version = 2 };
        await WriteAsync(database, writes, [Commit(id, 1, 2) with { Row = followedUp, RowBefore = created }]);
        Assert.Equal(2, await ScalarAsync(database,
            "SELECT version FROM customers WHERE id = @p0 AND owner_id = 'rep-1' AND pool_id = 'pool-1' AND org_unit_id = 'unit-1' AND last_follow_up_ms IS NOT NULL", id));

        await ExecuteAsync(database, $"UPDATE customers SET version = 9, name = 'Later' WHERE id = '{id}'");
        await WriteAsync(database, writes, [Commit(id, 2, 3) with { Row = followedUp with { Name = "Earlier", Version = 3 }, RowBefore = followedUp }]);
        Assert.Equal(9, await ScalarAsync(database, "SELECT version FROM customers WHERE id = @p0 AND name = 'Later'", id));
    }

    private static CustomerRow Row(string id, long version, string name, string? owner) => new()
    {
        Id = id, Name = name, Company = name, Phone = "+8613800138000", Stage = "lead", PoolId = "pool-1", OwnerId = owner, OrgUnitId = "unit-1",
        CreatedMs = 1_767_000_000_000, UpdatedMs = 1_767_000_000_000 + version, Version = version,
    };

    private static async Task ExecuteAsync(CrmDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
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
