using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Server.Auth;

/// <summary>
/// Validates bearer tokens like <see cref="JsonWebTokenHandler"/> and remembers the result for a short while, so that an
/// app sending the same token all day pays for parsing and the signature check once a minute instead of on every
/// request (it was about half the CPU of an authenticated request). A remembered token is still refused from the moment
/// it expires, and is checked again after <see cref="MaxAge"/>, so a signing key taken out of the configuration stops
/// it within that time (the handler serves one scheme, whose validation parameters are set once at start-up). Only valid results are kept, so a flood of bad tokens cannot fill the cache. What a token
/// grants is not kept here: role, unit and whether the user is still active are read per request (Permissions/CallerClaims).
/// </summary>
public sealed class CachedTokenHandler(TimeSpan maxAge, int capacity) : TokenHandler
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, Entry> _valid = new(StringComparer.Ordinal);

    public CachedTokenHandler() : this(MaxAge, 50_000)
    {
    }

    public int Count => _valid.Count;

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = Environment.TickCount64;
        if (_valid.TryGetValue(token, out var known) && known.CheckedAt + (long)maxAge.TotalMilliseconds > now
            && DateTime.UtcNow < known.Result.SecurityToken.ValidTo + validationParameters.ClockSkew)
        {
            return known.Result;
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            if (_valid.Count >= capacity)
            {
                // Simpler than an LRU and good enough: the working set of live tokens refills within a minute.
                _valid.Clear();
            }

            _valid[token] = new Entry(result, now);
        }
        else
        {
            _valid.TryRemove(token, out _);
        }

        return result;
    }

    private sealed record Entry(TokenValidationResult Result, long CheckedAt);
}
