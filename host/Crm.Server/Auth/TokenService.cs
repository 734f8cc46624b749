using System.Security.Claims;
using System.Text;
using Crm.Client;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Server.Auth;

/// <summary>Issues bearer tokens that carry the user's id, name, role and org unit.</summary>
public sealed class TokenService(SymmetricSecurityKey key, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string OrgUnitClaim = "org";

    public static SymmetricSecurityKey KeyFrom(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public TokenResponse Issue(string userId, string userName, Role role, string? orgUnitId)
    {
        var now = clock.GetUtcNow();
        var expires = now.AddHours(options.Value.TokenLifetimeHours);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, userName),
            new(ClaimTypes.Role, role.ToString().ToLowerInvariant()),
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
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, expires);
    }
}
