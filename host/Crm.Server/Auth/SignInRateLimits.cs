using System.Globalization;
using System.Threading.RateLimiting;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Server.Api.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Crm.Server.Permissions;
using Microsoft.Extensions.Options;

namespace Crm.Server.Auth;

/// <summary>
/// The "sign-in" policy of ASP.NET Core's rate limiter: a fixed window per client address on the auth routes.
/// A refusal is 429 ProblemDetails (code too-many-requests) with Retry-After in seconds; a refused sign-in or password
/// change is also written to the audit log (<see cref="SignIn.AuditAddressLimitAsync"/>).
/// </summary>
public static class SignInRateLimits
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.AddPolicy(Policy, http =>
        {
            var options = http.RequestServices.GetRequiredService<IOptions<LoginOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PerAddressPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
        RepLookups.AddPolicy(o);
        o.OnRejected = async (context, cancellationToken) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            if (IsSignInAttempt(context.HttpContext.Request))
            {
                await context.HttpContext.RequestServices.GetRequiredService<SignIn>().AuditAddressLimitAsync(context.HttpContext, wait);
            }

            await TooManyRequests(context.HttpContext, wait).ExecuteAsync(context.HttpContext);
        };
    });

    /// <summary>The routes that take a user name and password (sign-in, password change): their refusals are audited.</summary>
    private static bool IsSignInAttempt(HttpRequest request) =>
        request.Path.Equals("/api/auth/token", StringComparison.OrdinalIgnoreCase)
        || request.Path.Equals("/api/auth/password", StringComparison.OrdinalIgnoreCase);

    /// <summary>429 with Retry-After (whole seconds, at least 1).</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan wait)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiResults.Problem(new CrmError(ErrorCodes.TooManyRequests, $"Too many attempts; try again in {seconds} s.", 429,
            new() { ["retryAfterSeconds"] = seconds.ToString(CultureInfo.InvariantCulture) }));
    }
}
