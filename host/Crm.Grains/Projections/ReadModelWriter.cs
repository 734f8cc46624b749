using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Projections;

/// <summary>
/// Writes grain changes into the read-model tables through the group-commit writer. Upserts are
/// versioned: a row is only replaced by a higher version, so a retry or a late write never goes back.
/// </summary>
public sealed class ReadModelWriter(SqlBatchWriter writer)
{
    private const string UpsertCustomerSql = """
        INSERT INTO customers (id, name, company, phone, phone_digits, email, tax_id, address, source, stage,
                               pool_id, owner_id, org_unit_id, created_ms, updated_ms, last_follow_up_ms, search, version)
        VALUES (@Id, @Name, @Company, @Phone, @PhoneDigits, @Email, @TaxId, @Address, @Source, @Stage,
                @PoolId, @OwnerId, @OrgUnitId, @CreatedMs, @UpdatedMs, @LastFollowUpMs, @Search, @Version)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, company = excluded.company, phone = excluded.phone,
            phone_digits = excluded.phone_digits, email = excluded.email, tax_id = excluded.tax_id,
            address = excluded.address, source = excluded.source, stage = excluded.stage,
            pool_id = excluded.pool_id, owner_id = excluded.owner_id, org_unit_id = excluded.org_unit_id,
            created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,
            last_follow_up_ms = excluded.last_follow_up_ms, search = excluded.search, version = excluded.version
        WHERE excluded.version > customers.version
        """;

    private const string UpsertPoolSql = """
        INSERT INTO pools (id, name, org_unit_id, rules_json, created_ms, version)
        VALUES (@Id, @Name, @OrgUnitId, @RulesJson, @CreatedMs, @Version)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, org_unit_id = excluded.org_unit_id, rules_json = excluded.rules_json,
            version = excluded.version
        WHERE excluded.version > pools.version
        """;

    /// <summary>
    /// Writes a placeholder row (version 0, hidden from lists) before a customer's first state write, so
    /// every customer that may exist is known to the read model and a rebuild can find it.
    /// </summary>
    public Task RegisterCustomerAsync(string id, string poolId, long createdMs) =>
        writer.WriteAsync((connection, transaction) => connection.Execute("""
            INSERT INTO customers (id, name, stage, pool_id, created_ms, updated_ms, search, version)
            VALUES (@id, '', 'lead', @poolId, @createdMs, @createdMs, '', 0)
            ON CONFLICT (id) DO NOTHING
            """, new { id, poolId, createdMs }, transaction));

    /// <summary>Removes the placeholder of a customer whose creation never committed.</summary>
    public Task ForgetPlaceholderAsync(string id) =>
        writer.WriteAsync((connection, transaction) =>
            connection.Execute("DELETE FROM customers WHERE id = @id AND version = 0", new { id }, transaction));

    private const string UpsertStatusPoolSql = """
        INSERT INTO customer_status_pools (id, status_pool, version) VALUES (@Id, @StatusPool, @Version)
        ON CONFLICT (id) DO UPDATE SET status_pool = excluded.status_pool, version = excluded.version
        WHERE excluded.version > customer_status_pools.version
        """;

    /// <summary>Removes the row of a customer that was merged into another (its alias only redirects).</summary>
    public Task ForgetCustomerAsync(string id) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute("DELETE FROM customers WHERE id = @id", new { id }, transaction);
            connection.Execute("DELETE FROM customer_status_pools WHERE id = @id", new { id }, transaction);
        });

    public Task UpsertCustomerAsync(CustomerRow row) =>
        writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute(UpsertCustomerSql, row, transaction);
            connection.Execute(UpsertStatusPoolSql, row, transaction);
        });

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
