using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Permissions;

/// <summary>
/// The audit log of permission-relevant actions (users, units, pools and their rules, pool member lists, regions,
/// transfers, departures, merges, exports, plugin reloads), written before the action is acknowledged and read by admins.
/// </summary>
public sealed class AuditLog(CrmDatabase database, TimeProvider clock)
{
    public static class Actions
    {
        public const string UserChanged = "user.changed";
        public const string UserDeparted = "user.departed";
        public const string OrgUnitMoved = "org-unit.moved";
        public const string OrgUnitCreated = "org-unit.created";
        public const string OrgUnitRenamed = "org-unit.renamed";
        public const string PoolCreated = "pool.created";
        public const string PoolRulesChanged = "pool.rules-changed";
        public const string PluginsReloaded = "plugins.reloaded";
        public const string PoolMembersChanged = "pool.members-changed";
        public const string RegionChanged = "region.changed";
        public const string RegionDeleted = "region.deleted";
        public const string CustomerTransferred = "customer.transferred";
        public const string CustomerReleased = "customer.released";
        public const string CustomerMoved = "customer.moved";
        public const string CustomerMerged = "customer.merged";
        public const string UserCreated = "user.created";
        public const string CustomersExported = "customers.exported";
        public const string ReportExported = "report.exported";
        public const string LoginFailed = "auth.login-failed";
        public const string PasswordChanged = "auth.password-changed";
        public const string PasswordReset = "user.password-reset";
        public const string RefreshTokenReused = "auth.refresh-reused";
        public const string RefreshTokenRetried = "auth.refresh-retried";
    }

    private sealed record Row(string Id, long AtMs, string ActorId, string Action, string TargetType, string TargetId, string Details);

    public async Task WriteAsync(string actorId, string action, string targetType, string targetId, Dictionary<string, string?> details)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO audit_log (id, at_ms, actor_id, action, target_type, target_id, details)
            VALUES (@Id, @AtMs, @ActorId, @Action, @TargetType, @TargetId, @Details)
            """, new Row(Guid.NewGuid().ToString("N"), UnixTime.ToMs(clock.GetUtcNow()), actorId, action, targetType, targetId,
            JsonSerializer.Serialize(details)));
    }

    /// <summary>Newest first; filters are optional.</summary>
    public async Task<Page<AuditEntry>> ListAsync(string? action, string? targetId, string? actorId, int limit, int offset)
    {
        var where = "1 = 1";
        if (action is not null)
        {
            where += " AND action = @action";
        }

        if (targetId is not null)
        {
            where += " AND target_id = @targetId";
        }

        if (actorId is not null)
        {
            where += " AND actor_id = @actorId";
        }

        var args = new { action, targetId, actorId, limit, offset };
        await using var connection = await database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM audit_log WHERE {where}", args);
        var rows = await connection.QueryAsync<Row>($"""
            SELECT id AS Id, at_ms AS AtMs, actor_id AS ActorId, action AS Action, target_type AS TargetType,
                   target_id AS TargetId, details AS Details
            FROM audit_log WHERE {where} ORDER BY at_ms DESC, id LIMIT @limit OFFSET @offset
            """, args);
        return new Page<AuditEntry>(rows.Select(r => new AuditEntry(r.Id, UnixTime.FromMs(r.AtMs), r.ActorId, r.Action, r.TargetType,
            r.TargetId, JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Details) ?? [])).ToList(), total);
    }
}
