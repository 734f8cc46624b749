using System.Security.Claims;
using System.Text;
using Crm.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Tests.Auth;

/// <summary>The bearer-token cache remembers valid tokens only, and never turns a bad or expired token into a good one.</summary>
public sealed class CachedTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("a-test-signing-key-of-at-least-32-bytes!"));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = "crm", ValidAudience = "crm", IssuerSigningKey = Key, ClockSkew = TimeSpan.Zero,
    };

    private static string Token(DateTime expires, SecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim("sub", "rep-1")]),
        Issuer = "crm",
        Audience = "crm",
        NotBefore = expires.AddHours(-2),
        IssuedAt = expires.AddHours(-2),
        Expires = expires,
        SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task A_valid_token_is_checked_once_and_then_answered_from_memory()
    {
        var handler = new CachedTokenHandler();
        var token = Token(DateTime.UtcNow.AddHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.Same(first, second);
        Assert.Equal("rep-1", second.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task Expired_forged_and_malformed_tokens_are_refused_and_not_kept()
    {
        var handler = new CachedTokenHandler();
        var otherKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-nobody-configured!!"));

        Assert.False((await handler.ValidateTokenAsync(Token(DateTime.UtcNow.AddMinutes(-1)), Parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(Token(DateTime.UtcNow.AddHours(1), otherKey), Parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync("not.a.token", Parameters)).IsValid);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task A_kept_token_is_checked_again_after_its_time_in_memory()
    {
        var handler = new CachedTokenHandler(TimeSpan.Zero, 100); // nothing stays valid in memory
        var token = Token(DateTime.UtcNow.AddHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(second.IsValid);
        Assert.NotSame(first, second);
    }
}
