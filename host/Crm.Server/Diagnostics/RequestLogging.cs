using System.Diagnostics;
using System.Security.Claims;

namespace Crm.Server.Diagnostics;

/// <summary>
/// One structured log line per HTTP request (method, path, status, time, user) on category <c>Crm.Requests</c>, at a
/// level that follows what happened: <c>Warning</c> for a 5xx but 503, <c>Information</c> for a 4xx, a 503 (a database outage, logged once on its own) or a request slower than
/// <see cref="SlowAfter"/>, <c>Debug</c> for the rest. Under load the quick successful ones are most requests, and
/// formatting a line for each cost more than a tenth of a cheap read; set the category to <c>Debug</c> to see them all.
/// </summary>
public static class RequestLogging
{
    public static readonly TimeSpan SlowAfter = TimeSpan.FromMilliseconds(500);

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
                var elapsed = Stopwatch.GetElapsedTime(started);
                var status = context.Response.StatusCode;
                // A 503 is a database outage, logged once by DatabaseAvailability: its requests log like refusals.
                var level = status >= 500 && status != StatusCodes.Status503ServiceUnavailable ? LogLevel.Warning
                    : status >= 400 || elapsed >= SlowAfter ? LogLevel.Information : LogLevel.Debug;
                if (logger.IsEnabled(level))
                {
                    logger.Log(level, "HTTP {Method} {Path} -> {Status} in {ElapsedMs:0.0} ms by {User}",
                        context.Request.Method, context.Request.Path.Value, status, elapsed.TotalMilliseconds,
                        context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous");
                }
            }
        });
    }
}
