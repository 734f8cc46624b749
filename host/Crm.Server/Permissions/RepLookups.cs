using Crm.Grains.Common;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Crm.Client;
using Crm.Server.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Crm.Server.Permissions;

/// <summary>How often a rep may run lookups that reach past its own customers (<c>Crm:Lookups</c>).</summary>
public sealed class LookupOptions
{
    public const string Section = "Crm:Lookups";

    /// <summary>Duplicate checks and note previews one rep may run per minute (per silo); managers and admins are not limited.</summary>
    [Range(1, 100_000)] public int PerRepPerMinute { get; set; } = 30;
}

/// <summary>
/// Lookups a rep could use to read beyond its own customers (the company-wide duplicate check, note previews that run
/// a template): limited per rep with ASP.NET Core's rate limiter (429 with Retry-After, like sign-in) and audited.
/// </summary>
public static class RepLookups
{
    public const string Policy = "rep-lookups";

    public static class Actions
    {
        public const string DuplicateCheck = "lookup.duplicate-check";
        public const string NotePreview = "lookup.note-preview";
    }

    /// <summary>The policy; the rejection answer (429 ProblemDetails) is the limiter's shared one (<see cref="SignInRateLimits"/>).</summary>
    public static void AddPolicy(RateLimiterOptions limiter) => limiter.AddPolicy(Policy, http =>
    {
        var caller = http.User.Identity?.IsAuthenticated == true ? http.User.ToActor() : null;
        if (caller is not { Role: UserRole.Rep })
        {
            return RateLimitPartition.GetNoLimiter("not-a-rep");
        }

        var perMinute = http.RequestServices.GetRequiredService<IOptions<LookupOptions>>().Value.PerRepPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(caller.UserId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    });

    /// <summary>Limited for reps, and every rep's call written to the audit log with what it asked and how it was answered.</summary>
    public static TBuilder AsRepLookup<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireRateLimiting(Policy);
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var result = await next(invocation);
            var http = invocation.HttpContext;
            var caller = http.User.ToActor();
            if (caller.Role == UserRole.Rep)
            {
                var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
                await http.RequestServices.GetRequiredService<AuditLog>().WriteAsync(caller.UserId, action, "route", http.Request.Path.Value ?? "",
                    new()
                    {
                        ["status"] = status.ToString(CultureInfo.InvariantCulture),
                        ["address"] = http.Connection.RemoteIpAddress?.ToString(),
                    });
            }

            return result;
        });
        return builder;
    }
}
