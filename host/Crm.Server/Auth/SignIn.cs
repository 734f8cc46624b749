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
            await AuditFailureAsync(http, key, null, wait.Reason, wait.Wait);
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
