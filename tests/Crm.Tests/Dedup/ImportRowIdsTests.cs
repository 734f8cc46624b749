using Crm.Grains.Customers.Events;
using Crm.Grains.Customers;
using Crm.Grains.EventLog;
using Crm.Grains.Customers.Batch;
using Crm.Grains.Storage;
using Crm.Server.Api.Dedup;
using Crm.Tests.Storage;
using Dapper;

namespace Crm.Tests.Dedup;

/// <summary>
/// An import's row ids share its 8-byte prefix, so one range look-up at the start of an import tells a retry (some row
/// stored) from a first attempt (none), which then skips the batch-by-batch look-ups of stored rows.
/// </summary>
public sealed class ImportRowIdsTests
{
    [Fact]
    public void Every_row_id_of_an_import_lies_in_its_range_as_text_and_no_other_imports_row_does()
    {
        var random = new Random(11);
        var imports = Enumerable.Range(0, 40).Select(i => $"{Guid.NewGuid():N}"[..32]).ToList();
        foreach (var import in imports)
        {
            var (first, last) = ImportRowIds.RangeOf(import);
            foreach (var other in imports)
            {
                foreach (var row in new[] { 1, 2, 255, 256, 65_536, 999_999, random.Next(1, 1_000_001) })
                {
                    var id = ImportRowIds.Of(other, row, $"王经理\u001f{random.Next()}\u001f138{random.Next(10_000_000, 99_999_999)}").ToString();
                    var inside = string.CompareOrdinal(first.ToString(), id) <= 0 && string.CompareOrdinal(id, last.ToString()) <= 0;
                    Assert.True(inside == (other == import), $"row {row} of import {other} against the range of {import}: {id} in {first}..{last}");
                }
            }
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_retry_is_told_from_a_first_attempt_by_the_rows_stored_in_its_range(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var stored = new StoredCustomers(db.Database);
        var (retried, fresh) = ("import-retried-" + Guid.NewGuid().ToString("N"), "import-fresh-" + Guid.NewGuid().ToString("N"));
        var retriedRows = new[] { 3, 4, 70_000 }.Select(row => ImportRowIds.Of(retried, row, $"row {row}")).ToList();
        var others = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        await using (var connection = await db.Database.OpenAsync())
        {
            foreach (var id in retriedRows.Concat(others))
            {
                // A stored customer: its snapshot and its creation, committed together.
                await connection.ExecuteAsync("INSERT INTO customer_snapshots (customer_id, version, state, updated_ms) VALUES (@id, 1, @state, 0)",
                    new { id = id.ToString(), state = new byte[] { 1 } });
                var created = new Created(DateTimeOffset.UnixEpoch, "importer", new CustomerProfile($"Row {id}", null, null, null, null, null, "import"),
                    LeadTraits.None, "pool-routed", null, null, null, []);
                await connection.ExecuteAsync("""
                    INSERT INTO customer_events (customer_id, seq, at_ms, recorded_ms, kind, actor_id, data)
                    VALUES (@id, 1, 0, 0, @kind, 'importer', @data)
                    """, new { id = id.ToString(), kind = created.Kind, data = EventJson.Write(created) });
            }
        }

        var (retriedFirst, retriedLast) = ImportRowIds.RangeOf(retried);
        var (freshFirst, freshLast) = ImportRowIds.RangeOf(fresh);
        Assert.True(await stored.AnyBetweenAsync(retriedFirst, retriedLast));
        Assert.False(await stored.AnyBetweenAsync(freshFirst, freshLast));

        // A retry then asks for its rows batch by batch: exactly the stored ones among them come back.
        var asked = new[] { 1, 2, 3, 4, 5 }.Select(row => ImportRowIds.Of(retried, row, $"row {row}")).Append(others[7]).Append(Guid.NewGuid()).ToList();
        var among = await stored.AmongAsync(asked);
        Assert.Equal(new[] { retriedRows[0], retriedRows[1], others[7] }.Order(), among.Keys.Order());
        // With the pool each was created in: a retry answers it as the first attempt did.
        Assert.All(among.Values, c => Assert.Equal("pool-routed", c.PoolId));
    }
}
