using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Grains.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Crm.Server.Health;

/// <summary>
/// A request that failed because the database is unavailable answers 503 ProblemDetails (code
/// <c>database-unavailable</c>) with <c>Retry-After</c>, not 500: the server is fine, its dependency is not, and the
/// same request may succeed later. Nothing of a failed command was stored (docs/reliability.md). Grain calls that
/// failed because a silo left the cluster answer 503 too (<see cref="ClusterChangeAnswers"/>).
/// </summary>
public static class OutageAnswers
{
    public static IApplicationBuilder UseCrmOutageAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex) && !context.Response.HasStarted)
        {
            var services = context.RequestServices;
            services.GetRequiredService<DatabaseAvailability>().ReportDown(ex);
            await WriteAsync(context, services.GetRequiredService<IOptions<HealthOptions>>().Value.RetryAfterSeconds);
        }
        catch (Exception ex) when ((ClusterChangeAnswers.IsRefused(ex) || ClusterChangeAnswers.IsLost(ex)) && !context.Response.HasStarted)
        {
            // A silo left the cluster under the request (a rolling restart): 503, never 500 (ClusterChangeAnswers).
            var inFlight = context.RequestServices.GetRequiredService<IOptions<Idempotency.IdempotencyOptions>>().Value.InFlightTimeout;
            await ClusterChangeAnswers.WriteAsync(context, ex, (int)Math.Ceiling(inFlight.TotalSeconds));
        }
    });

    public static async Task WriteAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProblemAnswers.WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = $"The database is unavailable; nothing was changed. Retry after {retryAfterSeconds} s.",
            Extensions = { ["code"] = ErrorCodes.DatabaseUnavailable },
        });
    }
}
