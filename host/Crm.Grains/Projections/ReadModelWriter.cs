using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Projections;

/// <summary>
/// Writes pool changes into the read-model tables (customers write theirs in their own commits) through the group-commit writer. Upserts are
/// versioned: a row is only replaced by a higher version, so a retry or a late write never goes back.
/// </summary>
public sealed class ReadModelWriter(SqlBatchWriter writer)
{
    /// <summary>
    /// The customer's list row, written in the customer's own commit (bound by position, see <c>CustomerCommitWrites</c>).
    /// An equal version may rewrite the row (same version, same content), which lets a re-projection heal it.
    /// </summary>
    public const string UpsertCustomerSql = """
        INSERT INTO customers (id, name, company, phone, phone_digits, email, tax_id, address, source, stage,
                               pool_id, owner_id, org_unit_id, created_ms, updated_ms, last_follow_up_ms, search, version)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, company = excluded.company, phone = excluded.phone,
            phone_digits = excluded.phone_digits, email = excluded.email, tax_id = excluded.tax_id,
            address = excluded.address, source = excluded.source, stage = excluded.stage,
            pool_id = excluded.pool_id, owner_id = excluded.owner_id, org_unit_id = excluded.org_unit_id,
            created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,
            last_follow_up_ms = excluded.last_follow_up_ms, search = excluded.search, version = excluded.version
        WHERE excluded.version >= customers.version
        """;

    /// <summary>The customer's status pool (nurturing, success, failure, invalid), beside its list row.</summary>
    public const string UpsertStatusPoolSql = """
        INSERT INTO customer_status_pools (id, status_pool, version) VALUES (@p0, @p1, @p2)
        ON CONFLICT (id) DO UPDATE SET status_pool = excluded.status_pool, version = excluded.version
        WHERE excluded.version >= customer_status_pools.version
        """;

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
