using System.Security.Cryptography;
using System.Text;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Crm.Server.Org;
using Dapper;
using Microsoft.Extensions.Options;

namespace Crm.Server.Auth;

/// <summary>What presenting a refresh token came to.</summary>
public enum RefreshOutcome
{
    Rotated,

    /// <summary>Presented again within the retry window while its session had not gone on: a new pair, the lost one revoked.</summary>
    Retried,
    Invalid,
    Reused,
}

/// <summary>
/// Refresh tokens: 32 random bytes, stored only as their SHA-256. Each sign-in starts a family; a refresh uses its
/// token up and issues the next of the same family. A token presented again after it was used means two holders
/// (a thief and the user): the whole family is revoked, so both must sign in again, and every access token the user
/// holds stops working (its other sessions refresh theirs). Except a retry: presented again within
/// <see cref="AuthOptions.RefreshRetryWindow"/> of its use while no token issued since was used, it is the same holder
/// whose answer was lost (a phone between cells), and gets a new pair.
/// Ending a user's sessions also moves its session version on (table <c>session_versions</c>): access tokens name the
/// version they were issued under and are refused per request once it moved (Permissions/CallerClaims), so they do not
/// outlive their sessions until they expire.
/// </summary>
public sealed class RefreshTokens(CrmDatabase database, IOptions<AuthOptions> options, TimeProvider clock, OrgTreeNotifier tree)
{
    private sealed record Row(string FamilyId, string UserId, long ExpiresMs, long? UsedMs, long? RevokedMs);

    public static string NewFamily() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// A new refresh token of the family; with <paramref name="usedToken"/> (a refresh), only while that token is not revoked:
    /// a logout, a password reset or a departure that ended the session between the use and this issue leaves it ended
    /// (null), rather than handing the session a token issued after its end.
    /// </summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)?> IssueAsync(string userId, string familyId, string? usedToken = null)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var expires = now + options.Value.RefreshTokenLifetime;
        await using var connection = await database.OpenAsync();
        // The user's expired tokens go when it gets a new one: the table holds live sessions and their recent history.
        await connection.ExecuteAsync("DELETE FROM refresh_tokens WHERE user_id = @userId AND expires_ms < @now",
            new { userId, now = UnixTime.ToMs(now) });
        var issued = await connection.ExecuteAsync("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_ms, expires_ms)
            SELECT @hash, @familyId, @userId, @issued, @expires
            WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE token_hash = @used AND revoked_ms IS NOT NULL)
            """, new { hash = Hash(token), familyId, userId, issued = UnixTime.ToMs(now), expires = UnixTime.ToMs(expires), used = usedToken is null ? "" : Hash(usedToken) });
        return issued == 1 ? (token, expires) : null;
    }

    /// <summary>Uses <paramref name="token"/> up. <see cref="RefreshOutcome.Rotated"/> gives its user and family for the next pair.</summary>
    public async Task<(RefreshOutcome Outcome, string? UserId, string? FamilyId)> UseAsync(string token)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        var hash = Hash(token);
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<Row>("""
            SELECT family_id AS FamilyId, user_id AS UserId, expires_ms AS ExpiresMs, used_ms AS UsedMs, revoked_ms AS RevokedMs
            FROM refresh_tokens WHERE token_hash = @hash
            """, new { hash });
        if (row is null || row.RevokedMs is not null || row.ExpiresMs <= now)
        {
            return (RefreshOutcome.Invalid, row?.UserId, row?.FamilyId);
        }

        // The condition on used_ms makes two refreshes racing with one token a reuse for the loser.
        var used = row.UsedMs is null && await connection.ExecuteAsync(
            "UPDATE refresh_tokens SET used_ms = @now WHERE token_hash = @hash AND used_ms IS NULL", new { hash, now }) == 1;
        if (!used)
        {
            if (await RetriedAsync(connection, hash, row.FamilyId, now))
            {
                return (RefreshOutcome.Retried, row.UserId, row.FamilyId);
            }

            await RevokeFamilyAsync(row.FamilyId);
            await EndAccessTokensAsync(row.UserId);
            return (RefreshOutcome.Reused, row.UserId, row.FamilyId);
        }

        return (RefreshOutcome.Rotated, row.UserId, row.FamilyId);
    }

    /// <summary>
    /// Whether a second use of a used token is a retry: within the window of its first use and before any token issued
    /// since (its successor, whose answer was lost; or an earlier retry's, lost too) was used. Those are revoked then, so the
    /// session keeps one live token: the one the retry is answered with.
    /// </summary>
    private async Task<bool> RetriedAsync(System.Data.Common.DbConnection connection, string hash, string familyId, long now)
    {
        var window = (long)options.Value.RefreshRetryWindow.TotalMilliseconds;
        // Read again: of two uses racing, the loser read the row before the winner marked it.
        var usedMs = await connection.ExecuteScalarAsync<long?>("SELECT used_ms FROM refresh_tokens WHERE token_hash = @hash", new { hash });
        if (window <= 0 || usedMs is not { } usedAt || now - usedAt > window)
        {
            return false;
        }

        var wentOn = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM refresh_tokens
            WHERE family_id = @familyId AND token_hash <> @hash AND issued_ms >= @usedAt AND used_ms IS NOT NULL
            """, new { familyId, hash, usedAt }) > 0;
        if (wentOn)
        {
            return false;
        }

        await connection.ExecuteAsync("""
            UPDATE refresh_tokens SET revoked_ms = @now
            WHERE family_id = @familyId AND token_hash <> @hash AND issued_ms >= @usedAt AND revoked_ms IS NULL
            """, new { familyId, hash, usedAt, now });
        return true;
    }

    /// <summary>Logout: the family of <paramref name="token"/> ends. Unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        var family = await connection.ExecuteScalarAsync<string?>("SELECT family_id FROM refresh_tokens WHERE token_hash = @hash", new { hash = Hash(token) });
        if (family is not null)
        {
            await RevokeFamilyAsync(family);
        }
    }

    public async Task RevokeFamilyAsync(string familyId)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE refresh_tokens SET revoked_ms = @now WHERE family_id = @familyId AND revoked_ms IS NULL",
            new { familyId, now = UnixTime.ToMs(clock.GetUtcNow()) });
    }

    /// <summary>Every session of the user ends, its access tokens too (password changed or reset, user departed).</summary>
    public async Task RevokeUserAsync(string userId)
    {
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE refresh_tokens SET revoked_ms = @now WHERE user_id = @userId AND revoked_ms IS NULL",
                new { userId, now = UnixTime.ToMs(clock.GetUtcNow()) });
        }

        await EndAccessTokensAsync(userId);
    }

    /// <summary>The version a new access token of the user is issued under.</summary>
    public async Task<long> SessionVersionAsync(string userId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT version FROM session_versions WHERE user_id = @userId", new { userId }) ?? 0;
    }

    /// <summary>
    /// Moves the user's session version on: its access tokens are refused from the next request, on this silo at once and
    /// on the others within a second (the org tree, which carries the version, reloads everywhere).
    /// </summary>
    private async Task EndAccessTokensAsync(string userId)
    {
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO session_versions (user_id, version) VALUES (@userId, 1)
                ON CONFLICT (user_id) DO UPDATE SET version = session_versions.version + 1
                """, new { userId });
        }

        await tree.ChangedAsync();
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
