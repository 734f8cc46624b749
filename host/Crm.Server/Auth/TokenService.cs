using Crm.Grains.Common;
using System.Security.Claims;
using Crm.Client;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Server.Auth;

/// <summary>
/// Issues the pair a sign-in or a refresh answers: a short-lived bearer token (user id, name, role, org unit, session
/// and the user's session version; signed with the ring's current key, which it names) and a refresh token of the given family.
/// </summary>
public sealed class TokenService(SigningKeyRing keys, RefreshTokens refreshTokens, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string OrgUnitClaim = "org";

    /// <summary>The refresh-token family (one per sign-in) the access token belongs to.</summary>
    public const string SessionClaim = "sid";

    /// <summary>The user's session version the access token was issued under (<see cref="RefreshTokens.SessionVersionAsync"/>).</summary>
    public const string SessionVersionClaim = "sv";

    public async Task<TokenResponse> IssueAsync(string userId, string userName, UserRole role, string? orgUnitId) =>
        (await IssueAsync(userId, userName, role, orgUnitId, RefreshTokens.NewFamily(), null))!;

    /// <summary>
    /// The next pair of a session after <paramref name="usedToken"/> was used; null when the session ended meanwhile (a
    /// logout, reset or departure between the use and now).
    /// </summary>
    public async Task<TokenResponse?> IssueAsync(string userId, string userName, UserRole role, string? orgUnitId, string family, string? usedToken)
    {
        // The version first: an end of the sessions revokes the tokens, then moves the version on. Read before the
        // refresh token is stored, a version moved after that read ends this access token too; one moved before it
        // came with a revocation the store sees.
        var sessionVersion = await refreshTokens.SessionVersionAsync(userId);
        if (await refreshTokens.IssueAsync(userId, family, usedToken) is not { } issued)
        {
            return null;
        }

        var (refresh, refreshExpires) = issued;
        var (access, expires) = AccessToken(userId, userName, role, orgUnitId, family, sessionVersion);
        return new TokenResponse(access, expires, refresh, refreshExpires);
    }

    /// <summary>The session version a token names; a token of an older version of the server names none, which is 0.</summary>
    public static long SessionVersionOf(ClaimsIdentity identity) =>
        long.TryParse(identity.FindFirst(SessionVersionClaim)?.Value, out var version) ? version : 0;

    public (string Token, DateTimeOffset ExpiresAt) AccessToken(string userId, string userName, UserRole role, string? orgUnitId, string family,
        long sessionVersion = 0)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, userName),
            new(ClaimTypes.Role, role.ToString().ToLowerInvariant()),
            new(SessionClaim, family),
            new(SessionVersionClaim, sessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (orgUnitId is not null)
        {
            claims.Add(new Claim(OrgUnitClaim, orgUnitId));
        }

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
