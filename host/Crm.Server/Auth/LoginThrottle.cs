using System.Threading.RateLimiting;
using Crm.Grains.Common;
using Crm.Grains.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace Crm.Server.Auth;

/// <summary>
/// Per user name: a rate limit (this silo's, ASP.NET Core's partitioned fixed-window limiter) and a lockout after
/// consecutive failures (in the database, so every silo sees it). The lockout grows with each further failure:
/// base, 2×base, 4×base ... up to the maximum. Unknown names are counted like known ones.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly CrmDatabase _database;
    private readonly TimeProvider _clock;
    private readonly LoginOptions _options;
    private readonly PartitionedRateLimiter<string> _perName;

    public LoginThrottle(CrmDatabase database, TimeProvider clock, IOptions<LoginOptions> options)
    {
        _database = database;
        _clock = clock;
        _options = options.Value;
        _perName = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = _options.PerUserNamePerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    public static string KeyOf(string userName) => Org.UserNames.Key(userName);

    /// <summary>Null when the attempt may go on; otherwise how long the caller must wait and why ("throttled" or "locked").</summary>
    public async Task<(TimeSpan Wait, string Reason)?> WaitBeforeAsync(string userNameKey)
    {
        using (var lease = _perName.AttemptAcquire(userNameKey))
        {
            if (!lease.IsAcquired)
            {
                return (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1), "throttled");
            }
        }

        await using var connection = await _database.OpenAsync();
        var lockedUntil = await connection.ExecuteScalarAsync<long?>(
            "SELECT locked_until_ms FROM login_throttle WHERE user_name_key = @userNameKey", new { userNameKey });
        var left = lockedUntil is { } until ? UnixTime.FromMs(until) - _clock.GetUtcNow() : TimeSpan.Zero;
        return left > TimeSpan.Zero ? (left, "locked") : null;
    }

    /// <summary>Counts a failure; from the threshold on, locks the name for a doubling period. Returns the lockout, if any.</summary>
    public async Task<TimeSpan?> FailedAsync(string userNameKey)
    {
        var now = UnixTime.ToMs(_clock.GetUtcNow());
        await using var connection = await _database.OpenAsync();
        var failures = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO login_throttle (user_name_key, failures, locked_until_ms, last_failure_ms) VALUES (@userNameKey, 1, 0, @now)
            ON CONFLICT (user_name_key) DO UPDATE SET failures = login_throttle.failures + 1, last_failure_ms = @now
            RETURNING failures
            """, new { userNameKey, now });
        var lockout = LockoutAfter(failures, _options);
        if (lockout is { } period)
        {
            await connection.ExecuteAsync("UPDATE login_throttle SET locked_until_ms = @until WHERE user_name_key = @userNameKey",
                new { userNameKey, until = now + (long)period.TotalMilliseconds });
        }

        return lockout;
    }

    public async Task SucceededAsync(string userNameKey)
    {
        await using var connection = await _database.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM login_throttle WHERE user_name_key = @userNameKey", new { userNameKey });
    }

    /// <summary>The lockout that follows the <paramref name="failures"/>-th consecutive failure.</summary>
    public static TimeSpan? LockoutAfter(long failures, LoginOptions options)
    {
        if (failures < options.LockoutAfterFailures)
        {
            return null;
        }

        var doublings = Math.Min(failures - options.LockoutAfterFailures, 20);
        var seconds = Math.Min(options.LockoutBaseSeconds * Math.Pow(2, doublings), options.LockoutMaxSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    public void Dispose() => _perName.Dispose();
}
