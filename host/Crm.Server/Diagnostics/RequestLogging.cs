using System.Diagnostics;
using System.Security.Claims;

namespace Crm.Server.Diagnostics;

/// <summary>One structured log line per HTTP request: method, path, status, time, user.</summary>
public static class RequestLogging
{
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Crm.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                logger.LogInformation("HTTP {Method} {Path} -> {Status} in {ElapsedMs:0.0} ms by {User}",
                    context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous");
            }
        });
    }
}
