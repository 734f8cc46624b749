using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Pools;

/// <summary>
/// The pools' read model: writes a pool's <c>pools</c> row and its <c>pool_members</c> through the group-commit writer
/// (read by <c>Server/Api/Pools/PoolQueries</c>). Upserts are versioned: a row is only replaced by a higher version, so a
/// retry or a late write never goes back.
/// </summary>
public sealed class PoolProjection(SqlBatchWriter writer)
{
    private const string UpsertPoolSql = """
        INSERT INTO pools (id, name, org_unit_id, rules_json, created_ms, version)
        VALUES (@Id, @Name, @OrgUnitId, @RulesJson, @CreatedMs, @Version)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, org_unit_id = excluded.org_unit_id, rules_json = excluded.rules_json,
            version = excluded.version
        WHERE excluded.version > pools.version
        """;

    public Task UpsertPoolAsync(PoolRow row) =>
        writer.WriteAsync((connection, transaction) => connection.Execute(UpsertPoolSql, row, transaction));

    /// <summary>The member list of a pool, written whole: the pool grain is the only writer.</summary>
    public Task ReplacePoolMembersAsync(string poolId, IReadOnlyList<string> members) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute("DELETE FROM pool_members WHERE pool_id = @poolId", new { poolId }, transaction);
            connection.Execute("INSERT INTO pool_members (pool_id, user_id) VALUES (@poolId, @userId)",
                members.Select(userId => new { poolId, userId }), transaction);
        });
}
