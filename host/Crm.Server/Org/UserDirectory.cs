using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Crm.Server.Org;

/// <summary>The users who sign in: admins, managers and reps. A rep's id is its user id.</summary>
public sealed class UserDirectory(CrmDatabase database, TimeProvider clock)
{
    private static readonly PasswordHasher<string> Hasher = new();

    private const string Columns =
        "id AS Id, user_name AS UserName, password_hash AS PasswordHash, display_name AS DisplayName, role AS Role, org_unit_id AS OrgUnitId, created_ms AS CreatedMs";

    public sealed record UserRow(string Id, string UserName, string PasswordHash, string DisplayName, string Role, string? OrgUnitId, long CreatedMs)
    {
        public Role RoleValue => Enum.Parse<Role>(Role, ignoreCase: true);

        public UserDto ToDto() => new(Id, UserName, DisplayName, RoleValue, OrgUnitId, UnixTime.FromMs(CreatedMs));
    }

    public async Task<Result<UserDto>> CreateAsync(string userName, string password, string displayName, Role role, string? orgUnitId)
    {
        var row = new UserRow(Guid.NewGuid().ToString("N")[..16], userName.Trim(), Hasher.HashPassword(userName, password),
            displayName.Trim(), role.ToString().ToLowerInvariant(), orgUnitId, UnixTime.ToMs(clock.GetUtcNow()));
        await using var connection = await database.OpenAsync();
        // The unique key decides a race between two creations of the same name: one row, one 409.
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO users (id, user_name, user_name_key, password_hash, display_name, role, org_unit_id, created_ms)
            VALUES (@Id, @UserName, @Key, @PasswordHash, @DisplayName, @Role, @OrgUnitId, @CreatedMs)
            ON CONFLICT (user_name_key) DO NOTHING
            """, new { row.Id, row.UserName, Key = row.UserName.ToLowerInvariant(), row.PasswordHash, row.DisplayName, row.Role, row.OrgUnitId, row.CreatedMs });
        if (inserted == 0)
        {
            return CrmError.Conflict("user-exists", $"User name '{userName}' is taken.", new() { ["userName"] = userName });
        }

        return row.ToDto();
    }

    public async Task<UserRow?> VerifyAsync(string userName, string password)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(
            $"SELECT {Columns} FROM users WHERE user_name_key = @key", new { key = userName.Trim().ToLowerInvariant() });
        return row is not null && Hasher.VerifyHashedPassword(row.UserName, row.PasswordHash, password) != PasswordVerificationResult.Failed
            ? row
            : null;
    }

    public async Task<UserRow?> GetAsync(string id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {Columns} FROM users WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<UserDto>> ListAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<UserRow>($"SELECT {Columns} FROM users ORDER BY user_name_key")).Select(r => r.ToDto()).ToList();
    }

    public async Task<bool> AnyAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users") > 0;
    }
}
