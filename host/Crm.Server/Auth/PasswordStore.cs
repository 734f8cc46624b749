using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Crm.Server.Auth;

/// <summary>Password hashes (ASP.NET Core Identity's PBKDF2 hasher) and whether a user must choose a new password.</summary>
public sealed class PasswordStore(CrmDatabase database, TimeProvider clock)
{
    private static readonly PasswordHasher<string> Hasher = new();

    // Verified against when the user name is unknown or has left, so that every failure costs the same time
    // and the answer's timing does not tell which names exist.
    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString("N"));

    public static string Hash(string userName, string password) => Hasher.HashPassword(userName, password);

    /// <summary>Whether <paramref name="password"/> matches; with no hash, checks a dummy one and answers false.</summary>
    public static bool Verify(string userName, string? hash, string password)
    {
        var matches = Hasher.VerifyHashedPassword(userName, hash ?? DummyHash, password) != PasswordVerificationResult.Failed;
        return hash is not null && matches;
    }

    public async Task SetAsync(string userId, string userName, string password, bool mustChange)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @userId",
            new { userId, hash = Hash(userName, password) }, transaction);
        await MarkAsync(connection, transaction, userId, mustChange, now);
        await transaction.CommitAsync();
    }

    public async Task RequireChangeAsync(string userId)
    {
        await using var connection = await database.OpenAsync();
        await MarkAsync(connection, null, userId, true, UnixTime.ToMs(clock.GetUtcNow()));
    }

    public async Task<bool> MustChangeAsync(string userId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT must_change FROM password_state WHERE user_id = @userId", new { userId }) is 1;
    }

    private static Task MarkAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string userId, bool mustChange, long now) =>
        connection.ExecuteAsync("""
            INSERT INTO password_state (user_id, must_change, changed_ms) VALUES (@userId, @mustChange, @now)
            ON CONFLICT (user_id) DO UPDATE SET must_change = excluded.must_change, changed_ms = excluded.changed_ms
            """, new { userId, mustChange = mustChange ? 1L : 0L, now }, transaction);
}
