using System.Diagnostics;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Crm.Tests.Infrastructure;
using Dapper;

namespace Crm.Tests.Customers;

/// <summary>What one customer command writes to the event log (test cluster over a real SQLite file).</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerCommitTests(ClusterFixture fixture)
{
    private static readonly Actor Manager = new("manager-1", UserRole.Manager, "unit-1");

    [Fact]
    public async Task A_claim_and_a_follow_up_each_write_exactly_one_commit_and_their_outbox_entries_are_deleted_once_delivered()
    {
        var poolId = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(poolId).Create("Pool", "unit-1", new PoolRuleSet())).Ok);
        var id = Guid.NewGuid();
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.Create(new NewCustomer("Zhao Lei", PoolId: poolId), Manager)).Ok);
        var rep = new Actor("rep-" + Guid.NewGuid().ToString("N"), UserRole.Rep, "unit-1");
        var created = await LogOfAsync(id);
        Assert.Equal(new Log(1, 1, ["created"], 1), created);

        Assert.True((await customer.Claim(rep)).Ok);
        var claimed = await LogOfAsync(id);

        Assert.Equal(new Log(2, 2, ["created", "claimed"], 2), claimed);
        Assert.Single(await fixture.Grains.GetGrain<IRepGrain>(rep.UserId).GetOwned());

        Assert.True((await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "quote asked"), rep)).Ok);
        var followedUp = await LogOfAsync(id);

        Assert.Equal(new Log(3, 3, ["created", "claimed", "follow-up"], 3), followedUp);
        Assert.Equal(3, (await customer.Get())!.Version);
        await OutboxEmptiedAsync(id);
    }

    /// <summary>
    /// A follow-up leaves the list row's indexed columns as they were (it moves the customer nowhere) but still puts back a
    /// missing status-pool row; a re-projection (the admin rebuild) rewrites a damaged row whole.
    /// </summary>
    [Fact]
    public async Task A_follow_up_refills_a_missing_status_pool_row_and_a_reprojection_repairs_a_damaged_list_row()
    {
        var poolId = Guid.NewGuid().ToString("N")[..12];
        Assert.True((await fixture.Grains.GetGrain<IPoolGrain>(poolId).Create("Pool", "unit-1", new PoolRuleSet())).Ok);
        var id = Guid.NewGuid();
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.Create(new NewCustomer("Zhao Lei", PoolId: poolId), Manager)).Ok);
        var args = new { id = id.ToString(), poolId };
        await using (var connection = await fixture.Database.OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM customer_status_pools WHERE id = @id", args);
        }

        Assert.True((await customer.AddFollowUp(new NewFollowUp(FollowUpType.Call, "quote asked"), Manager)).Ok);
        await using (var connection = await fixture.Database.OpenAsync())
        {
            Assert.Equal("nurturing", await connection.QuerySingleOrDefaultAsync<string>("SELECT status_pool FROM customer_status_pools WHERE id = @id", args));
            await connection.ExecuteAsync(
                "UPDATE customers SET pool_id = 'stale', owner_id = 'ghost', org_unit_id = 'stale' WHERE id = @id; DELETE FROM customer_status_pools WHERE id = @id", args);
        }

        Assert.True(await customer.Reproject());
        await using (var connection = await fixture.Database.OpenAsync())
        {
            Assert.Equal((poolId, (string?)null, "unit-1"), await connection.QuerySingleAsync<(string, string?, string)>(
                "SELECT pool_id, owner_id, org_unit_id FROM customers WHERE id = @id", args));
            Assert.Equal("nurturing", await connection.QuerySingleOrDefaultAsync<string>("SELECT status_pool FROM customer_status_pools WHERE id = @id", args));
        }
    }

    /// <summary>Snapshot version, number of events (with their kinds in order) and read-model row version of one customer.</summary>
    private sealed record Log(long SnapshotVersion, long EventCount, IReadOnlyList<string> Kinds, long RowVersion)
    {
        public bool Equals(Log? other) => other is not null && SnapshotVersion == other.SnapshotVersion && EventCount == other.EventCount
            && Kinds.SequenceEqual(other.Kinds) && RowVersion == other.RowVersion;

        public override int GetHashCode() => HashCode.Combine(SnapshotVersion, EventCount, RowVersion);

        public override string ToString() => $"snapshot v{SnapshotVersion}, {EventCount} events [{string.Join(", ", Kinds)}], row v{RowVersion}";
    }

    private async Task<Log> LogOfAsync(Guid id)
    {
        await using var connection = await fixture.Database.OpenAsync();
        var args = new { id = id.ToString() };
        var kinds = (await connection.QueryAsync<(long Seq, string Kind)>(
            "SELECT seq, kind FROM customer_events WHERE customer_id = @id ORDER BY position", args)).ToList();
        // Sequence numbers are the versions the events brought the customer to: 1, 2, 3, ... without gaps.
        Assert.Equal(Enumerable.Range(1, kinds.Count).Select(i => (long)i), kinds.Select(k => k.Seq));
        return new Log(
            await connection.ExecuteScalarAsync<long>("SELECT version FROM customer_snapshots WHERE customer_id = @id", args),
            kinds.Count,
            kinds.Select(k => k.Kind).ToList(),
            await connection.ExecuteScalarAsync<long>("SELECT version FROM customers WHERE id = @id", args));
    }

    /// <summary>Delivered entries are deleted by the group-commit writer shortly after the command answered.</summary>
    private async Task OutboxEmptiedAsync(Guid id)
    {
        var waited = Stopwatch.StartNew();
        long left;
        do
        {
            await using var connection = await fixture.Database.OpenAsync();
            left = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_outbox WHERE customer_id = @id", new { id = id.ToString() });
            if (left == 0)
            {
                return;
            }

            await Task.Delay(50);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Fail($"{left} outbox entries of customer {id} still there after 15 s");
    }
}
