using Crm.Server.Org;
using Crm.Server.Permissions;

namespace Crm.Server.Auth;

/// <summary>What a sign-in attempt came to: the user, a refusal (401), or "wait" (429 with Retry-After).</summary>
public sealed record SignInOutcome(UserDirectory.UserRow? User, TimeSpan? RetryAfter)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Checks a user name and password the same way for every route that takes them (sign-in, password change):
/// throttle and lockout first, then the password hash, which is verified (against a dummy hash) even when the name
/// is unknown or has left; each failure counts towards the name's lockout and is written to the audit log with the
/// client's address and the reason.
/// </summary>
public sealed class SignIn(UserDirectory users, LoginThrottle throttle, AuditLog audit)
{
    public const string Anonymous = "anonymous";

    public async Task<SignInOutcome> AuthenticateAsync(string userName, string password, HttpContext http)
    {
        var key = LoginThrottle.KeyOf(userName);
        if (await throttle.WaitBeforeAsync(key) is { } wait)
        {
            await AuditFailureAsync(http, key, (await users.FindByNameAsync(userName))?.Id, wait.Reason, wait.Wait);
            return new SignInOutcome(null, wait.Wait);
        }

        var user = await users.FindByNameAsync(userName);
        var usable = user is { Active: true } ? user : null;
        if (!PasswordStore.Verify(user?.UserName ?? "", usable?.PasswordHash, password))
        {
            var lockout = await throttle.FailedAsync(key);
            var reason = user is null ? "unknown-user" : usable is null ? "departed" : "wrong-password";
            await AuditFailureAsync(http, key, user?.Id, reason, lockout);
            return new SignInOutcome(null, null);
        }

        await throttle.SucceededAsync(key);
        return new SignInOutcome(usable, null);
    }

    /// <summary>
    /// A sign-in or password change the per-address limit refused before it ran (429): audited as "throttled" like the
    /// per-name refusals, with the name tried when the small JSON body names one, so that spraying many names from one
    /// address shows in the audit log.
    /// </summary>
    public async Task AuditAddressLimitAsync(HttpContext http, TimeSpan wait)
    {
        var userName = await NameTriedAsync(http.Request);
        var key = LoginThrottle.KeyOf(userName ?? "");
        var user = userName is null ? null : await users.FindByNameAsync(userName);
        await AuditFailureAsync(http, key, user?.Id, "throttled", wait);
    }

    private const int MaxBodyRead = 4096;

    /// <summary>The user name a sign-in body names; null when the body is longer than a sign-in's, or not one.</summary>
    private static async Task<string?> NameTriedAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyRead)
        {
            return null;
        }

        try
        {
            // Read by hand, not by Content-Length: a client may send the body chunked.
            var buffer = new byte[MaxBodyRead + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length))) > 0)
            {
                length += read;
            }

            return length is 0 or > MaxBodyRead
                ? null
                : System.Text.Json.JsonSerializer.Deserialize<NamedAttempt>(buffer.AsSpan(0, length), System.Text.Json.JsonSerializerOptions.Web)?.UserName;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or BadHttpRequestException)
        {
            return null; // not JSON, or the client went away: audited without a name
        }
    }

    private sealed record NamedAttempt(string? UserName);

    private Task AuditFailureAsync(HttpContext http, string userNameKey, string? userId, string reason, TimeSpan? lockedFor) =>
        audit.WriteAsync(userId ?? Anonymous, AuditLog.Actions.LoginFailed, "user-name", Truncate(userNameKey, 64), new()
        {
            ["address"] = http.Connection.RemoteIpAddress?.ToString(),
            ["reason"] = reason,
            ["userAgent"] = Truncate(http.Request.Headers.UserAgent.ToString(), 200),
            ["lockedForSeconds"] = lockedFor is { } period ? ((long)Math.Ceiling(period.TotalSeconds)).ToString() : null,
        });

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
