using Crm.Grains.Common;
using System.Security.Claims;
using Crm.Client;
using Crm.Grains.Storage;
using Crm.Server.Auth;
using Crm.Tests.Storage;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Tests.Auth;

/// <summary>Where the signing keys live (never in the database), the move of an old key out of it, and rotation (docs/security.md V3/V6).</summary>
public sealed class SigningKeyTests
{
    [Fact]
    public async Task A_key_an_older_version_kept_in_the_database_moves_to_a_0600_file_and_its_tokens_stay_valid()
    {
        await using var db = TestDatabase.CreateSqlite();
        const string legacy = "the-key-an-older-version-generated-and-stored==";
        await using (var connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO settings (key, value) VALUES (@key, @legacy)", new { key = SigningKeyStore.LegacySettingsKey, legacy });
        }

        var oldToken = Issue(new SigningKeyRing("old", new Dictionary<string, string> { ["old"] = legacy }), kid: false);

        var ring = SigningKeyStore.Resolve(db.Database, new AuthOptions(), db.Directory!, NullLogger.Instance);
        var again = SigningKeyStore.Resolve(db.Database, new AuthOptions(), db.Directory!, NullLogger.Instance);
        var file = Path.Combine(db.Directory!, "signing-keys.json");
        string? row;
        await using (var connection = await db.Database.OpenAsync())
        {
            row = await connection.ExecuteScalarAsync<string?>("SELECT value FROM settings WHERE key = @key", new { key = SigningKeyStore.LegacySettingsKey });
        }

        Assert.Null(row);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(file));
        Assert.True(await ValidAsync(oldToken, ring));
        Assert.Equal(ring.Current.KeyId, again.Current.KeyId);
    }

    [Fact]
    public async Task After_a_rotation_new_tokens_name_the_new_key_and_old_tokens_stay_valid_until_the_old_key_is_dropped()
    {
        await using var db = TestDatabase.CreateSqlite();
        var file = Path.Combine(db.Directory!, "signing-keys.json");
        var before = SigningKeyStore.Resolve(db.Database, new AuthOptions(), db.Directory!, NullLogger.Instance);
        var oldToken = Issue(before);

        var newId = SigningKeyStore.Rotate(file);
        var after = SigningKeyStore.Resolve(db.Database, new AuthOptions(), db.Directory!, NullLogger.Instance);
        var newToken = Issue(after);
        var withoutOld = new SigningKeyRing(newId, new Dictionary<string, string> { [newId] = Secret(after.Current) });

        Assert.Equal(newId, after.Current.KeyId);
        Assert.Equal(newId, new JsonWebToken(newToken).Kid);
        Assert.True(await ValidAsync(oldToken, after));
        Assert.True(await ValidAsync(newToken, after));
        Assert.False(await ValidAsync(oldToken, withoutOld));
    }

    [Fact]
    public async Task A_configured_key_signs_and_configured_previous_keys_still_validate()
    {
        await using var db = TestDatabase.CreateSqlite();
        var previous = SigningKeyStore.Resolve(db.Database, new AuthOptions { SigningKey = "the-first-configured-key-of-32-characters", SigningKeyId = "a" },
            db.Directory!, NullLogger.Instance);
        var oldToken = Issue(previous);

        var rotated = SigningKeyStore.Resolve(db.Database, new AuthOptions
        {
            SigningKey = "the-second-configured-key-of-32-characters",
            SigningKeyId = "b",
            PreviousSigningKeys = ["a:the-first-configured-key-of-32-characters"],
        }, db.Directory!, NullLogger.Instance);

        Assert.Equal("b", rotated.Current.KeyId);
        Assert.True(await ValidAsync(oldToken, rotated));
        Assert.False(File.Exists(Path.Combine(db.Directory!, "signing-keys.json")));
    }

    private static string Secret(SymmetricSecurityKey key) => System.Text.Encoding.UTF8.GetString(key.Key);

    private static string Issue(SigningKeyRing ring, bool kid = true)
    {
        // Only the access-token half of the service is used here: no refresh tokens, no database.
        var service = new TokenService(ring, null!, Options.Create(new AuthOptions()), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var token = service.AccessToken("u1", "li", UserRole.Rep, null, "family").Token;
        return kid ? token : StripKid(token, ring);
    }

    /// <summary>Re-signs the token's payload without a kid header, as tokens were before key ids.</summary>
    private static string StripKid(string token, SigningKeyRing ring)
    {
        var jwt = new JsonWebToken(token);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(jwt.Claims.Where(c => c.Type is not ("exp" or "nbf" or "iat" or "iss" or "aud"))),
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Issuer,
            Expires = jwt.ValidTo,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(ring.Current.Key), SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task<bool> ValidAsync(string token, SigningKeyRing ring) =>
        (await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AuthOptions.Issuer,
            ValidAudience = AuthOptions.Issuer,
            IssuerSigningKeys = ring.All,
        })).IsValid;
}
