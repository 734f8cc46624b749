using Crm.Client;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Pools;

/// <summary>Counts of customers per status pool, per public pool and owner, from the read model, within what the caller sees.</summary>
public sealed class StatusPoolQueries(CrmDatabase database)
{
    // Settable properties: SQLite reports no column types for an empty aggregate, which a record constructor cannot match.
    private sealed class Row
    {
        public string PoolId { get; set; } = "";
        public string? OwnerId { get; set; }
        public long Nurturing { get; set; }
        public long Success { get; set; }
        public long Failure { get; set; }
        public long Invalid { get; set; }
    }

    public async Task<IReadOnlyList<StatusPoolCountDto>> CountsAsync(string? poolId, string? ownerId, Visibility visibility)
    {
        var args = new DynamicParameters(new { poolId, ownerId });
        var visible = visibility.Customers(args, "c");
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>($"""
            SELECT c.pool_id AS PoolId, c.owner_id AS OwnerId,
                   SUM(CASE WHEN s.status_pool = 'nurturing' THEN 1 ELSE 0 END) AS Nurturing,
                   SUM(CASE WHEN s.status_pool = 'success' THEN 1 ELSE 0 END) AS Success,
                   SUM(CASE WHEN s.status_pool = 'failure' THEN 1 ELSE 0 END) AS Failure,
                   SUM(CASE WHEN s.status_pool = 'invalid' THEN 1 ELSE 0 END) AS Invalid
            FROM customers c JOIN customer_status_pools s ON s.id = c.id
            WHERE c.version > 0 AND {visible}
              AND (@poolId IS NULL OR c.pool_id = @poolId) AND (@ownerId IS NULL OR c.owner_id = @ownerId)
            GROUP BY c.pool_id, c.owner_id
            ORDER BY c.pool_id, c.owner_id
            """, args);
        return rows.Select(r => new StatusPoolCountDto(r.PoolId, r.OwnerId, r.Nurturing, r.Success, r.Failure, r.Invalid)).ToList();
    }
}
