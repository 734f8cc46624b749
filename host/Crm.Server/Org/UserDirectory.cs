using System.Data.Common;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Permissions;
using Dapper;
using Crm.Server.Auth;

namespace Crm.Server.Org;

/// <summary>The users who sign in: admins, managers and reps. A rep's id is its user id.</summary>
public sealed class UserDirectory(CrmDatabase database, TimeProvider clock, OrgTreeNotifier tree)
{
    // Departed users stay in the table (their ids are on timelines and in the audit log) but no longer sign in.
    private const string Select = """
        SELECT users.id AS Id, users.user_name AS UserName, users.password_hash AS PasswordHash, users.display_name AS DisplayName,
               users.role AS Role, users.org_unit_id AS OrgUnitId, users.created_ms AS CreatedMs, departed_users.left_ms AS LeftMs
        FROM users LEFT JOIN departed_users ON departed_users.user_id = users.id
        """;

    public sealed record UserRow(string Id, string UserName, string PasswordHash, string DisplayName, string Role, string? OrgUnitId, long CreatedMs, long? LeftMs)
    {
        public UserRole RoleValue => Enum.Parse<UserRole>(Role, ignoreCase: true);

        public bool Active => LeftMs is null;

        public UserDto ToDto() => new(Id, UserName, DisplayName, RoleValue.ToWire(), OrgUnitId, UnixTime.FromMs(CreatedMs), Active);
    }

    public async Task<Result<UserDto>> CreateAsync(string userName, string password, string displayName, UserRole role, string? orgUnitId)
    {
        var row = new UserRow(Guid.NewGuid().ToString("N")[..16], userName.Trim(), PasswordStore.Hash(userName.Trim(), password),
            displayName.Trim(), role.ToString().ToLowerInvariant(), orgUnitId, UnixTime.ToMs(clock.GetUtcNow()), null);
        await using var connection = await database.OpenAsync();
        // The unique key decides a race between two creations of the same name: one row, one 409.
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
            VALUES (@Id, @UserName, @Key, @PasswordHash, @DisplayName, @Role, @OrgUnitId, @CreatedMs)
            ON CONFLICT (user_name_key) DO NOTHING
            """, new { row.Id, row.UserName, Key = UserNames.Key(row.UserName), row.PasswordHash, row.DisplayName, row.Role, row.OrgUnitId, row.CreatedMs });
        if (inserted == 0)
        {
            return CrmError.Conflict(ErrorCodes.UserExists, $"User name '{userName}' is taken.", new() { ["userName"] = userName });
        }

        await tree.ChangedAsync();
        return row.ToDto();
    }

    /// <summary>
    /// The user with this name (any case, full-width or not: <see cref="UserNames"/>), departed or not. A key stored
    /// unfolded because its folded form was another user's (<see cref="FoldStoredNameKeysAsync"/>) is found by the
    /// name as that user types it, before the folded key.
    /// </summary>
    public async Task<UserRow?> FindByNameAsync(string userName)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QueryFirstOrDefaultAsync<UserRow>($"""
            {Select} WHERE users.user_name_key IN (@unfolded, @key)
            ORDER BY CASE WHEN users.user_name_key = @unfolded THEN 0 ELSE 1 END
            """, new { key = UserNames.Key(userName), unfolded = UserNames.UnfoldedKey(userName) });
    }

    /// <summary>
    /// Folds the keys stored before user names were NFKC-folded (only names with full-width or other compatibility
    /// forms differ), so that a new lookalike of such a name is refused. A key whose folded form is already another
    /// user's stays as it is (both users keep signing in with the name as they type it) and is logged.
    /// </summary>
    public async Task FoldStoredNameKeysAsync(ILogger logger)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Id, string UserName, string Key)>("SELECT id, user_name, user_name_key FROM users");
        foreach (var (id, userName, _) in rows.Where(r => r.Key != UserNames.Key(r.UserName)))
        {
            var folded = UserNames.Key(userName);
            var changed = await connection.ExecuteAsync("""
                UPDATE users SET user_name_key = @folded
                WHERE id = @id AND NOT EXISTS (SELECT 1 FROM users other WHERE other.user_name_key = @folded AND other.id <> @id)
                """, new { id, folded });
            if (changed == 0)
            {
                logger.LogWarning("User name '{UserName}' ({Id}) looks like another user's ('{Folded}'): both keep signing in as they did; " +
                    "make one of them leave or give it another name to end the lookalike", userName, id, folded);
            }
        }
    }

    public async Task<UserRow?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<UserRow>($"{Select} WHERE users.id = @id", new { id });
    }

    /// <summary>The users the caller may see: an admin all, a manager those of its subtree, a rep itself.</summary>
    public async Task<IReadOnlyList<UserDto>> ListAsync(Visibility visibility)
    {
        var args = new DynamicParameters();
        var condition = visibility.Users(args);
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<UserRow>($"{Select} WHERE {condition} ORDER BY users.user_name_key", args)).Select(r => r.ToDto()).ToList();
    }

    /// <summary>Whether the caller may see a user; single reads answer 404 when it may not.</summary>
    public async Task<bool> IsVisibleAsync(string id, Visibility visibility)
    {
        var args = new DynamicParameters(new { id });
        var condition = visibility.Users(args);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM users WHERE users.id = @id AND {condition}", args) > 0;
    }

    /// <summary>
    /// Changes a user's display name, role or unit (null leaves it as is). False, and nothing changed, when it would
    /// leave the company without an active admin.
    /// </summary>
    public async Task<bool> UpdateAsync(string id, string? displayName, UserRole? role, string? orgUnitId) =>
        await KeepingAnAdminAsync((connection, transaction) => connection.ExecuteAsync("""
            UPDATE users SET display_name = COALESCE(@displayName, display_name), role = COALESCE(@role, role),
                             org_unit_id = COALESCE(@orgUnitId, org_unit_id)
            WHERE id = @id
            """, new { id, displayName = displayName?.Trim(), role = role?.ToString().ToLowerInvariant(), orgUnitId }, transaction));

    /// <summary>
    /// Marks a user as departed: it can no longer sign in and its tokens stop working. Idempotent. False, and nothing
    /// changed, when it would leave the company without an active admin.
    /// </summary>
    public async Task<bool> DepartAsync(string id, string byId) =>
        await KeepingAnAdminAsync((connection, transaction) => connection.ExecuteAsync("""
            INSERT INTO departed_users (user_id, left_ms, by_id) VALUES (@id, @leftMs, @byId)
            ON CONFLICT (user_id) DO NOTHING
            """, new { id, leftMs = UnixTime.ToMs(clock.GetUtcNow()), byId }, transaction));

    /// <summary>
    /// Makes a change to a user in one transaction with the rule that the last active admin stays one (nobody could then
    /// manage users, pools or the org tree): counted after the change, which is undone when none is left. Two admins
    /// demoting each other at once must not both pass a count made before the other's change, so each change first
    /// takes the write lock of one guard row: on PostgreSQL the second waits for the first to commit and then counts
    /// what it committed; SQLite's transactions take the database's write lock at their start anyway.
    /// </summary>
    private async Task<bool> KeepingAnAdminAsync(Func<DbConnection, DbTransaction, Task> change)
    {
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO settings (key, value) VALUES ('admin-guard', '') ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, transaction: transaction);
            await change(connection, transaction);
            var admins = await connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM users WHERE LOWER(users.role) = 'admin' AND NOT EXISTS (SELECT 1 FROM departed_users d WHERE d.user_id = users.id)
                """, transaction: transaction);
            if (admins == 0)
            {
                await transaction.RollbackAsync();
                return false;
            }

            await transaction.CommitAsync();
        }

        await tree.ChangedAsync();
        return true;
    }

    public async Task<bool> AnyAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users") > 0;
    }
}
