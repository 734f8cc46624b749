using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Targets;

/// <summary>The <c>targets</c> table: one target per scope, period and metric, replaced when set again.</summary>
public sealed class TargetStore(CrmDatabase database, TimeProvider clock)
{
    public sealed record TargetRow(string Id, string Scope, string ScopeId, string ScopePath, string Period, string Metric, long ValueE4,
        string? ParentId, long UpdatedMs)
    {
        public decimal Value => ValueE4 / 10_000m;

        public TargetDto ToDto() => new(Id, Scope, ScopeId == "" ? null : ScopeId, Period, Metric, Value, ParentId, UnixTime.FromMs(UpdatedMs));
    }

    private const string Columns = """
        id AS Id, scope AS Scope, scope_id AS ScopeId, scope_path AS ScopePath, period AS Period, metric AS Metric, value_e4 AS ValueE4,
        parent_id AS ParentId, updated_ms AS UpdatedMs
        """;

    /// <summary>Sets the targets (scope, period, metric) in one transaction; each keeps its id if it existed.</summary>
    public async Task<IReadOnlyList<TargetRow>> SetAsync(IReadOnlyList<(ReportScope Scope, string Period, string Metric, decimal Value)> targets, string? parentId)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var rows = new List<TargetRow>();
        foreach (var (scope, period, metric, value) in targets)
        {
            var args = new
            {
                id = Guid.NewGuid().ToString("N"), scope = scope.Kind, scopeId = scope.Id ?? "", path = scope.Path, period, metric,
                value = (long)(value * 10_000m), parentId, now,
            };
            await connection.ExecuteAsync("""
                INSERT INTO targets (id, scope, scope_id, scope_path, period, metric, value_e4, parent_id, updated_ms)
                VALUES (@id, @scope, @scopeId, @path, @period, @metric, @value, @parentId, @now)
                ON CONFLICT (scope, scope_id, period, metric) DO UPDATE SET value_e4 = excluded.value_e4, scope_path = excluded.scope_path,
                    parent_id = excluded.parent_id, updated_ms = excluded.updated_ms
                """, args, transaction);
            rows.Add(await connection.QuerySingleAsync<TargetRow>(
                $"SELECT {Columns} FROM targets WHERE scope = @scope AND scope_id = @scopeId AND period = @period AND metric = @metric", args, transaction));
        }

        await transaction.CommitAsync();
        return rows;
    }

    public async Task<TargetRow?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<TargetRow>($"SELECT {Columns} FROM targets WHERE id = @id", new { id });
    }

    /// <summary>The targets of a scope over a period, one per metric that has one.</summary>
    public async Task<IReadOnlyList<TargetRow>> OfScopeAsync(ReportScope scope, string period)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<TargetRow>($"SELECT {Columns} FROM targets WHERE scope = @scope AND scope_id = @scopeId AND period = @period",
            new { scope = scope.Kind, scopeId = scope.Id ?? "", period })).ToList();
    }

    /// <summary>The targets the caller sees (a manager: those inside its subtree; a rep: its own), optionally of one period and scope.</summary>
    public async Task<IReadOnlyList<TargetRow>> ListAsync(Visibility caller, string? period, string? scope, string? scopeId, int limit)
    {
        var args = new DynamicParameters(new { limit, prefix = caller.UnitPath + "%", me = caller.UserId });
        var where = new List<string>
        {
            caller.Role switch
            {
                UserRole.Admin => "1 = 1",
                UserRole.Manager => "scope <> 'company' AND scope_path LIKE @prefix",
                _ => "scope = 'rep' AND scope_id = @me",
            },
        };
        foreach (var (column, value) in new[] { ("period", period), ("scope", scope), ("scope_id", scopeId) })
        {
            if (value is not null)
            {
                where.Add($"{column} = @{column}");
                args.Add(column, value);
            }
        }

        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<TargetRow>(
            $"SELECT {Columns} FROM targets WHERE {string.Join(" AND ", where)} ORDER BY period, scope, scope_id, metric LIMIT @limit", args)).ToList();
    }
}
