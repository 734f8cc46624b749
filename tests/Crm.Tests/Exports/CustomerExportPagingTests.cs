using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Api.Customers;
using Crm.Server.Permissions;
using Crm.Tests.Storage;
using Dapper;

namespace Crm.Tests.Exports;

/// <summary>
/// A whole-list walk (the customer export) pages from where the last page ended: leads created or removed during a long
/// export neither repeat customers nor leave some out, as pages by offset did.
/// </summary>
public sealed class CustomerExportPagingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Customers_created_and_removed_between_pages_neither_repeat_nor_hide_the_others(DatabaseProvider provider)
    {
        await using var db = TestDatabase.Create(provider);
        var queries = new CustomerQueries(db.Database);
        var admin = new Visibility(UserRole.Admin, "admin", "/");
        var filter = new CustomerFilter { PoolId = "pool-a" };
        // 25 customers, several created in the same millisecond (an import batch's), newest first.
        var existing = Enumerable.Range(0, 25).Select(i => (Id: Guid.NewGuid(), Ms: 1_800_000_000_000L + i / 3)).ToList();
        await InsertAsync(db.Database, existing);

        var seen = new List<Guid>();
        CustomerDto? last = null;
        var pages = 0;
        while (true)
        {
            var page = await queries.PageAfterAsync(filter, admin, last, 10);
            seen.AddRange(page.Select(c => c.Id));
            if (++pages == 1)
            {
                // Between the first and second page: newer leads arrive and one customer already exported is removed.
                await InsertAsync(db.Database, Enumerable.Range(0, 7).Select(i => (Guid.NewGuid(), 1_800_000_000_100L + i)).ToList());
                await using var connection = await db.Database.OpenAsync();
                await connection.ExecuteAsync("DELETE FROM customers WHERE id = @id", new { id = page[0].Id.ToString() });
            }

            if (page.Count < 10)
            {
                break;
            }

            last = page[^1];
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(existing.Select(e => e.Id).Order(), seen.Order());
        // Newest first, then by id within a millisecond, as the list shows them.
        Assert.Equal(existing.OrderByDescending(e => e.Ms).ThenBy(e => e.Id.ToString(), StringComparer.Ordinal).Select(e => e.Id), seen);
    }

    private static async Task InsertAsync(CrmDatabase database, List<(Guid Id, long Ms)> customers)
    {
        await using var connection = await database.OpenAsync();
        foreach (var (id, ms) in customers)
        {
            await connection.ExecuteAsync("""
                INSERT INTO customers (id, name, stage, pool_id, created_ms, updated_ms, search, version)
                VALUES (@id, @name, 'lead', 'pool-a', @ms, @ms, @name, 1)
                """, new { id = id.ToString(), name = $"Customer {id:N}", ms });
        }
    }
}
